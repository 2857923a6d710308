package bulkinvite

import (
	"context"
	"errors"
	"fmt"

	"github.com/invitekit/clerkinvitations/client"
)

// ResendOptions tune [Resend].
type ResendOptions struct {
	// RedirectURL is where the new invitation's link lands. The API does
	// not return an invitation's redirect URL, so it is taken from here,
	// or else from the journal's entry for the person, if it has one.
	RedirectURL string
}

// Resend sends a person's invitation again: Clerk has no endpoint for it,
// so Resend revokes the pending invitation and creates a new one with the
// same role and metadata, which Clerk emails. It does so exactly once,
// through the journal in cfg.Store: stopped at any point, a second call
// with the same arguments finishes the first one's work rather than
// starting anew (the old invitation revoked, the new one created once).
//
// It returns the person's entry when settled: StateCreated with the new
// invitation's id, or another final state with the reason. It fails with a
// *[NoPendingError] if the person has no pending invitation and no
// unfinished resend in the journal.
//
// Clerk API: GET /organizations/{organization_id}/invitations (to find the
// invitation), POST /organizations/{organization_id}/invitations/{invitation_id}/revoke,
// POST /organizations/{organization_id}/invitations.
func Resend(ctx context.Context, cfg Config, emailAddress string, opts ResendOptions) (*Entry, error) {
	if cfg.Client == nil || cfg.Store == nil || cfg.OrganizationID == "" {
		return nil, errors.New("bulkinvite: Resend needs Config.Client, Config.Store and Config.OrganizationID")
	}
	old, err := findEntry(ctx, cfg.Store, cfg.OrganizationID, emailAddress)
	if err != nil {
		return nil, err
	}
	if old == nil || old.State.Final() {
		if err := startResend(ctx, cfg, emailAddress, old, opts); err != nil {
			return nil, err
		}
	}
	r, err := newRunner(cfg, emailAddress)
	if err != nil {
		return nil, err
	}
	if err := r.begin(ctx, nil); err != nil {
		return nil, err
	}
	_, err = r.run(ctx)
	e, ferr := findEntry(ctx, cfg.Store, cfg.OrganizationID, emailAddress)
	if e == nil || ferr != nil {
		return nil, errors.Join(err, ferr)
	}
	return e, err
}

// findEntry is the journal's entry of an address in an organization, or
// nil.
func findEntry(ctx context.Context, s Store, organizationID, emailAddress string) (*Entry, error) {
	key := entryKey(organizationID, emailAddress)
	var found *Entry
	err := s.Scan(ctx, organizationID, func(_ int64, e Entry) error {
		if e.Key() == key {
			found = &e
		}
		return nil
	})
	return found, err
}

// startResend finds the pending invitation and journals the resend: the
// invitation to revoke, and the one to create after it.
func startResend(ctx context.Context, cfg Config, emailAddress string, old *Entry, opts ResendOptions) error {
	page, err := cfg.Client.List(ctx, cfg.OrganizationID, client.ListParams{EmailAddress: emailAddress, Status: client.Statuses{client.StatusPending}})
	if err != nil {
		return fmt.Errorf("bulkinvite: resend: looking up %s: %w", emailAddress, err)
	}
	var pending *client.Invitation
	for i := range page.Data {
		if client.NormalEmail(page.Data[i].EmailAddress) == client.NormalEmail(emailAddress) {
			pending = &page.Data[i]
			break
		}
	}
	if pending == nil {
		return &NoPendingError{EmailAddress: emailAddress, OrganizationID: cfg.OrganizationID}
	}
	public, err := pending.PublicMetadata.Map()
	if err != nil {
		return fmt.Errorf("bulkinvite: resend: the public metadata of %s: %w", pending.ID, err)
	}
	private, err := pending.PrivateMetadata.Map()
	if err != nil {
		return fmt.Errorf("bulkinvite: resend: the private metadata of %s: %w", pending.ID, err)
	}
	params := client.CreateParams{
		EmailAddress:    pending.EmailAddress,
		Role:            pending.Role,
		PublicMetadata:  public,
		PrivateMetadata: private,
		RedirectURL:     opts.RedirectURL,
	}
	if params.RedirectURL == "" && old != nil {
		params.RedirectURL = old.Params.RedirectURL
	}
	if pending.InviterID != nil {
		params.InviterUserID = *pending.InviterID
	}
	now := clockOf(cfg).Now()
	return cfg.Store.Put(ctx, Entry{
		OrganizationID: cfg.OrganizationID,
		Params:         params,
		State:          StateRevoking,
		Replaces:       pending.ID,
		UpdatedAt:      now,
	})
}
