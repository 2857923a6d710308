package client

import "time"

// Clerk's facts: the rate limits of the Backend API and the error codes
// this module branches on or serves, each stated once, here. The bulkinvite
// package, the clerk-invite tool and the in-memory fake take them from
// here rather than keeping copies.

// The rate limits of the Backend API, per application instance: a general
// limit on every request, and one of its own for each create endpoint.
const (
	// ProductionRequestLimit requests are allowed in any
	// [RequestLimitWindow] by a production instance.
	ProductionRequestLimit = 1000
	// DevelopmentRequestLimit requests are allowed in any
	// [RequestLimitWindow] by a development instance (one whose secret
	// key starts with sk_test_).
	DevelopmentRequestLimit = 100
	// RequestLimitWindow is the window of the general limits.
	RequestLimitWindow = 10 * time.Second

	// CreateLimit single creates ([Client.Create]) are allowed in any
	// [CreateLimitWindow], in production and development alike.
	CreateLimit = 250
	// BulkCreateLimit bulk creates ([Client.BulkCreate]) are allowed in
	// any [CreateLimitWindow], in production and development alike.
	BulkCreateLimit = 50
	// CreateLimitWindow is the window of the create limits.
	CreateLimitWindow = time.Hour
)

// The Clerk error codes that this module branches on or serves. [HasCode]
// tells whether an error carries one.
const (
	// CodeInvitationNotUnique: a single create for an address that already
	// has a pending invitation to the organization.
	CodeInvitationNotUnique = "organization_invitation_not_unique"
	// CodeDuplicateRecord: a bulk create naming addresses that already have
	// pending invitations (the error's meta.email_addresses lists them), or
	// naming one address twice.
	CodeDuplicateRecord = "duplicate_record"
	// CodeAlreadyMember: the address belongs to a member of the organization
	// already.
	CodeAlreadyMember = "already_a_member_in_organization"
	// CodeNotPending: a revoke of an invitation that is no longer pending
	// (revoked already, accepted or expired), with status 404.
	CodeNotPending = "organization_invitation_not_pending"
	// CodeNotFound: no such resource (organization, invitation, role) or
	// route.
	CodeNotFound = "resource_not_found"
	// CodeParamMissing: a required body field or parameter is missing.
	CodeParamMissing = "form_param_missing"
	// CodeParamFormatInvalid: a value has the wrong form, such as an email
	// address without an @.
	CodeParamFormatInvalid = "form_param_format_invalid"
	// CodeParamValueInvalid: a value is outside what the API accepts.
	CodeParamValueInvalid = "form_param_value_invalid"
	// CodeTooManyRequests: refused for a rate limit (status 429).
	CodeTooManyRequests = "too_many_requests"
	// CodeAuthenticationInvalid: the secret key was refused (status 401).
	CodeAuthenticationInvalid = "authentication_invalid"
	// CodeInternal: the API failed on its side (a 5xx).
	CodeInternal = "internal_clerk_error"
)
