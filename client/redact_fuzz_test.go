package client_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/invitekit/clerkinvitations/client"
)

// staticDoer responds to every request with one canned response, in
// memory: the fuzz target below needs millions of responses per minute.
type staticDoer struct {
	status int
	header http.Header
	body   []byte
}

func (d staticDoer) Do(r *http.Request) (*http.Response, error) {
	return &http.Response{
		StatusCode:    d.status,
		Header:        d.header.Clone(),
		Body:          io.NopCloser(bytes.NewReader(d.body)),
		ContentLength: -1,
		Request:       r,
	}, nil
}

// spellings of the key a server might echo: raw, with JSON or URL escapes
// for some or all bytes.
func spellKey(key string, how uint8) string {
	var b strings.Builder
	for i := 0; i < len(key); i++ {
		c := key[i]
		switch {
		case how%4 == 1 && c == '_', how%4 == 3:
			b.WriteString(`\u00`)
			b.WriteString(strings.ToUpper(string("0123456789abcdef"[c>>4]) + string("0123456789abcdef"[c&15])))
		case how%4 == 2 && (c == '_' || i%3 == 0):
			b.WriteString("%")
			b.WriteString(string("0123456789ABCDEF"[c>>4]) + string("0123456789abcdef"[c&15]))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// FuzzKeyNeverPrinted feeds responses of any status, with any header and
// body, into which the key is spliced in some spelling at some place, and
// checks that no printed or marshalled form of the resulting error shows
// the key.
func FuzzKeyNeverPrinted(f *testing.F) {
	f.Add(400, "X-Echo", "Bearer ", []byte(`{"errors":[{"code":"x","message":"`), uint8(0), uint16(10), uint16(2), uint8(0))
	f.Add(500, "Cf-Ray", "", []byte(`{"errors":[{"code":"x","long_message":"you sent "}]}`), uint8(1), uint16(45), uint16(0), uint8(0))
	f.Add(200, "Location", "https://evil.example/?k=", []byte(`{"id":"`), uint8(2), uint16(7), uint16(24), uint8(0))
	f.Add(302, "Set-Cookie", "s=", []byte(strings.Repeat("a", 70000)), uint8(0), uint16(65530), uint16(3), uint8(0))
	f.Add(404, "X-Key", "", []byte(`<html>`), uint8(3), uint16(6), uint16(0), uint8(0))
	f.Add(429, "Retry-After", "1", []byte(`{"meta":{"k":"`), uint8(1), uint16(13), uint16(5), uint8(0))
	// The key as a member name, nested and deep enough that the JSON path
	// to a syntax or type error after it passes what messages show.
	f.Add(200, "", "", []byte(`{"x": 1 2}`), uint8(0), uint16(0), uint16(0), uint8(1))
	f.Add(200, "", "", []byte(`"not a number"`), uint8(3), uint16(0), uint16(0), uint8(30))
	f.Add(200, "", "", []byte(`[1,`), uint8(2), uint16(1), uint16(0), uint8(12))
	f.Fuzz(func(t *testing.T, status int, name, value string, body []byte, how uint8, at, valueAt uint16, depth uint8) {
		if status < 100 || status > 999 {
			status = 500
		}
		spelled := spellKey(hostileKey, how)
		// Splice the key, or the start of it (a cut body), into the body.
		pos := int(at) % (len(body) + 1)
		piece := spelled
		if how&8 != 0 {
			piece = spelled[:len(spelled)*2/3]
		}
		body = append(body[:pos:pos], append([]byte(piece), body[pos:]...)...)
		if depth > 0 {
			body = nestUnderKey(body, spelled, int(depth%64))
		}
		header := http.Header{}
		vpos := int(valueAt) % (len(value) + 1)
		header.Set("X-Echo-Key", value[:vpos]+spellKey(hostileKey, how>>2)+value[vpos:])
		if name != "" && !strings.ContainsAny(name, "\r\n:") {
			header[http.CanonicalHeaderKey(name+hostileKey)] = []string{value}
			header[http.CanonicalHeaderKey(name)] = []string{hostileKey}
		}
		header.Set("Cf-Ray", spellKey(hostileKey, how>>4))

		c, err := client.New(client.WithSecretKey(hostileKey), client.WithoutRetries(),
			client.WithHTTPClient(staticDoer{status, header, body}))
		if err != nil {
			t.Fatal(err)
		}
		if _, err = c.Get(context.Background(), "org_1", "orginv_1"); err != nil {
			assertKeyNeverPrinted(t, err, hostileKey)
		}
		if _, err = c.List(context.Background(), "org_1", client.ListParams{}); err != nil {
			assertKeyNeverPrinted(t, err, hostileKey)
		}
	})
}

// nestUnderKey puts inner depth objects deep under a member named by the
// spelled key, in the metadata of a list's invitation, which is where a
// server's data can carry any names.
func nestUnderKey(inner []byte, spelled string, depth int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"data":[{"id":"orginv_1","public_metadata":{"` + spelled + `":`)
	for i := range depth {
		fmt.Fprintf(&b, `{"k%d":`, i)
	}
	b.Write(inner)
	b.WriteString(strings.Repeat("}", depth) + `}}],"total_count":1}`)
	return b.Bytes()
}
