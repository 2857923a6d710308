// Package api carries the OpenAPI contract of the organization-invitation
// operations of Clerk's Backend API (api/openapi.yaml), embedded so that
// tests and the in-memory fake can validate traffic against it.
//
// The contract is the source of truth: gen/ is generated from it, client/
// wraps gen/, and fake/ serves it.
package api

import _ "embed"

// OpenAPI is the text of api/openapi.yaml, the OpenAPI 3.0 document of the
// seven organization-invitation operations.
//
//go:embed openapi.yaml
var OpenAPI []byte

// Version is the Clerk API version the contract describes; clients send it
// in the Clerk-API-Version header.
const Version = "2026-05-12"
