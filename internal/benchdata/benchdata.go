// Package benchdata builds the response bodies that the benchmarks decode
// (bench/, and the decoder comparison in tools/decoders): invitations of
// about 1 KB with every field the API sends, nested inviter data and
// metadata objects included.
package benchdata

import (
	"fmt"
	"strconv"
)

// OrgID is the organization of every invitation built here.
const OrgID = "org_2aBcDeFgHiJkLmNoPqRsTuVwXyZ"

// Invitation is the JSON of invitation number i (0 to 99,999); its id,
// address, employee id and link differ with i.
func Invitation(i int) string {
	return fmt.Sprintf(`{"object":"organization_invitation","id":"orginv_2aBcDeFgHiJkLmNoPqRs%05d",`+
		`"email_address":"person.number.%05d@engineering.example.com","role":"org:member","role_name":"Member",`+
		`"organization_id":"%s","inviter_id":"user_2aBcDeFgHiJkLmNoPqRsTuVwXyZ",`+
		`"public_inviter_data":{"user_id":"user_2aBcDeFgHiJkLmNoPqRsTuVwXyZ","first_name":"Grace","last_name":"Hopper",`+
		`"image_url":"https://img.clerk.com/eyJ0eXBlIjoicHJveHkiLCJzcmMiOiJodHRwczovL2ltYWdlcy5jbGVyay5kZXYvb2F1dGhfZ29vZ2xlL2ltZ18yYUJjRGVGZ0hpSmtMbU5vUHFSc1R1VndYeVoifQ",`+
		`"has_image":true,"identifier":"grace.hopper@engineering.example.com"},"status":"pending",`+
		`"public_metadata":{"team":"compilers","cost_center":"R&D-4711","onboarding":{"buddy":"user_2aBcDeFgHi","week":1}},`+
		`"private_metadata":{"source":"hr-sync","employee_id":"E-%05d","start_date":"2026-12-01"},`+
		`"url":"https://accounts.example.com/v1/tickets/accept?ticket=eyJhbGciOiJIUzI1NiJ9.eyJpbnYiOiJvcmdpbnZfMmFCYyJ9.c2lnbmF0dXJlc2lnbmF0dXJl%05d",`+
		`"expires_at":1781395200000,"created_at":1778803200000,"updated_at":1778803200000}`, i, i, OrgID, i, i)
}

// Page is the JSON of a list response holding invitations start to
// start+n-1 of a list of total.
func Page(start, n, total int) []byte {
	b := make([]byte, 0, n*(len(Invitation(0))+1)+64)
	b = append(b, `{"data":[`...)
	for i := start; i < start+n; i++ {
		if i > start {
			b = append(b, ',')
		}
		b = append(b, Invitation(i)...)
	}
	return append(b, `],"total_count":`+strconv.Itoa(total)+`}`...)
}
