package client_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/gen"
)

// gen's Validate functions give exactly the error of the request builder
// they stand for, case by case, without building a request.
func TestValidateAgreesWithTheRequestBuilders(t *testing.T) {
	good := gen.NewOrganizationInvitation{EmailAddress: "ada@example.com", Role: "org:member"}
	with := func(edit func(*gen.NewOrganizationInvitation)) gen.NewOrganizationInvitation {
		p := good
		edit(&p)
		return p
	}
	type check struct {
		validate, build error
		field           string // "" when valid
	}
	built := func(_ *gen.Request, err error) error { return err }
	cases := map[string]func() check{
		"create: valid": func() check {
			return check{gen.ValidateCreateOrganizationInvitation("org_1", good), built(gen.NewCreateOrganizationInvitationRequest("org_1", good)), ""}
		},
		"create: no role": func() check {
			p := with(func(p *gen.NewOrganizationInvitation) { p.Role = "" })
			return check{gen.ValidateCreateOrganizationInvitation("org_1", p), built(gen.NewCreateOrganizationInvitationRequest("org_1", p)), "role"}
		},
		"create: expiry": func() check {
			p := with(func(p *gen.NewOrganizationInvitation) { p.ExpiresInDays = 366 })
			return check{gen.ValidateCreateOrganizationInvitation("org_1", p), built(gen.NewCreateOrganizationInvitationRequest("org_1", p)), "expires_in_days"}
		},
		"create: a dot segment": func() check {
			return check{gen.ValidateCreateOrganizationInvitation("..", good), built(gen.NewCreateOrganizationInvitationRequest("..", good)), "organization_id"}
		},
		"create: a space in the organization id": func() check {
			return check{gen.ValidateCreateOrganizationInvitation("bad org", good), built(gen.NewCreateOrganizationInvitationRequest("bad org", good)), "organization_id"}
		},
		"list: a slash in the organization id": func() check {
			p := gen.ListOrganizationInvitationsParams{}
			return check{gen.ValidateListOrganizationInvitations("org/1", p), built(gen.NewListOrganizationInvitationsRequest("org/1", p)), "organization_id"}
		},
		"bulk: item 2 has no address": func() check {
			list := []gen.NewOrganizationInvitation{good, good, with(func(p *gen.NewOrganizationInvitation) { p.EmailAddress = "" })}
			return check{gen.ValidateCreateOrganizationInvitationBulk("org_1", list), built(gen.NewCreateOrganizationInvitationBulkRequest("org_1", list)), "[2].email_address"}
		},
		"bulk: eleven": func() check {
			list := make([]gen.NewOrganizationInvitation, 11)
			for i := range list {
				list[i] = good
			}
			return check{gen.ValidateCreateOrganizationInvitationBulk("org_1", list), built(gen.NewCreateOrganizationInvitationBulkRequest("org_1", list)), "body"}
		},
		"list: limit": func() check {
			p := gen.ListOrganizationInvitationsParams{Limit: 501}
			return check{gen.ValidateListOrganizationInvitations("org_1", p), built(gen.NewListOrganizationInvitationsRequest("org_1", p)), "limit"}
		},
		"list: status": func() check {
			p := gen.ListOrganizationInvitationsParams{Status: gen.Status{"pending", "gone"}}
			return check{gen.ValidateListOrganizationInvitations("org_1", p), built(gen.NewListOrganizationInvitationsRequest("org_1", p)), "status[1]"}
		},
		"get: no id": func() check {
			return check{gen.ValidateGetOrganizationInvitation("org_1", ""), built(gen.NewGetOrganizationInvitationRequest("org_1", "")), "invitation_id"}
		},
	}
	for name, run := range cases {
		t.Run(name, func(t *testing.T) {
			c := run()
			assert.Equal(t, c.build, c.validate, "the same error as the builder")
			if c.field == "" {
				assert.NoError(t, c.validate)
				return
			}
			var v *client.ValidationError
			if assert.ErrorAs(t, c.validate, &v) {
				assert.Equal(t, c.field, v.Field)
			}
		})
	}
}

// An optional body with nothing in it is not sent; one with a field is.
func TestAnOptionalBodyIsSentOnlyWithSomethingInIt(t *testing.T) {
	req, err := gen.NewRevokeOrganizationInvitationRequest("org_1", "orginv_1", gen.RevokeOrganizationInvitationRequest{})
	assert.NoError(t, err)
	assert.Nil(t, req.Body)
	req, err = gen.NewRevokeOrganizationInvitationRequest("org_1", "orginv_1", gen.RevokeOrganizationInvitationRequest{RequestingUserID: "user_1"})
	assert.NoError(t, err)
	assert.NotNil(t, req.Body)
}

// The generated required checks name the first value missing by its
// JSON path, nested models and lists included.
func TestMissingRequiredPaths(t *testing.T) {
	inv := func() gen.OrganizationInvitation {
		return gen.OrganizationInvitation{ID: "orginv_1", Object: "organization_invitation", PublicMetadata: []byte("{}")}
	}
	noObject := inv()
	noObject.Object = ""
	noMeta := inv()
	noMeta.PublicMetadata = nil
	for name, tc := range map[string]struct {
		model interface{ MissingRequired() string }
		want  string
	}{
		"whole":              {&gen.OrganizationInvitations{Data: []gen.OrganizationInvitation{inv(), inv()}}, ""},
		"no data":            {&gen.OrganizationInvitations{}, "data"},
		"an empty page":      {&gen.OrganizationInvitations{Data: []gen.OrganizationInvitation{}}, ""},
		"no id in item 1":    {&gen.OrganizationInvitations{Data: []gen.OrganizationInvitation{inv(), {Object: "organization_invitation", PublicMetadata: []byte("{}")}}}, "data[1].id"},
		"no object":          {&noObject, "object"},
		"null metadata":      {&noMeta, "public_metadata"},
		"no organization id": {&gen.OrganizationInvitationsWithPublicOrganizationData{Data: []gen.OrganizationInvitationWithPublicOrganizationData{{ID: "orginv_1", Object: "organization_invitation", PublicMetadata: []byte("{}"), PublicOrganizationData: &gen.OrganizationInvitationPublicOrganizationData{}}}}, "data[0].public_organization_data.id"},
	} {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.model.MissingRequired())
		})
	}
}
