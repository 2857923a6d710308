package decoders

import (
	"bytes"
	"strings"
	"testing"

	"github.com/invitekit/clerkinvitations/gen"
	"github.com/invitekit/clerkinvitations/internal/benchdata"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The bodies compared: pages of 100 and 500 invitations, and the 40 pages
// of 500 of a walk over 20,000 (decoded one after another).
var (
	page100 = benchdata.Page(0, 100, 100)
	page500 = benchdata.Page(0, 500, 500)
	walk    = func() [][]byte {
		var pages [][]byte
		for start := 0; start < 20_000; start += 500 {
			pages = append(pages, benchdata.Page(start, 500, 20_000))
		}
		return pages
	}()
)

// Every decoder decodes a page into what the build's encoding/json
// decodes (the first of Decoders), and
// nothing it returns points into its input: the input is overwritten
// after decoding. Null and absent metadata stay nil; other nulls stay
// nil pointers.
func TestDecodersAgree(t *testing.T) {
	body := string(benchdata.Page(0, 3, 3))
	body = strings.Replace(body, `"first_name":"Grace"`, `"first_name":null`, 1)
	body = strings.Replace(body, `"public_metadata":{"team":"compilers","cost_center":"R&D-4711","onboarding":{"buddy":"user_2aBcDeFgHi","week":1}},`, `"public_metadata":null,`, 1)
	body = strings.Replace(body, `"private_metadata":{"source":"hr-sync","employee_id":"E-00001","start_date":"2026-12-01"},`, ``, 1)
	var want gen.OrganizationInvitations
	require.NoError(t, Decoders[0].Unmarshal([]byte(body), &want))
	require.Nil(t, want.Data[0].PublicMetadata)
	require.Nil(t, want.Data[1].PrivateMetadata)
	for _, d := range Decoders {
		t.Run(d.Name, func(t *testing.T) {
			in := []byte(body)
			var got gen.OrganizationInvitations
			require.NoError(t, d.Unmarshal(in, &got))
			copy(in, bytes.Repeat([]byte("x"), len(in)))
			assert.Equal(t, want, got)
		})
	}
}

// Metadata that is not an object fails with every decoder, as the schema
// says it must.
func TestDecodersRefuseMetadataThatIsNotAnObject(t *testing.T) {
	body := strings.Replace(benchdata.Invitation(1), `"public_metadata":{`, `"public_metadata":[{`, 1)
	body = strings.Replace(body, `"week":1}},`, `"week":1}}],`, 1)
	for _, d := range Decoders {
		var got gen.OrganizationInvitation
		assert.Error(t, d.Unmarshal([]byte(body), &got), d.Name)
	}
}

func BenchmarkDecode(b *testing.B) {
	for _, body := range []struct {
		name  string
		pages [][]byte
	}{{"list100", [][]byte{page100}}, {"list500", [][]byte{page500}}, {"walk20k", walk}} {
		size := 0
		for _, p := range body.pages {
			size += len(p)
		}
		for _, d := range Decoders {
			b.Run("body="+body.name+"/decoder="+d.Name, func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(size))
				for b.Loop() {
					for _, p := range body.pages {
						var page gen.OrganizationInvitations
						if err := d.Unmarshal(p, &page); err != nil {
							b.Fatal(err)
						}
					}
				}
			})
		}
	}
}
