// Package metadata holds the metadata of an invitation (its public and
// private metadata) as the API sent it: the raw JSON of an object, decoded
// only when asked for, into a struct of the caller's or into a map.
//
// Reading a page of invitations then costs one copy of each object's bytes,
// and a program that never looks at metadata, or looks at one key of it,
// pays for nothing more:
//
//	var team struct {
//		Team string `json:"team"`
//	}
//	if err := inv.PublicMetadata.Decode(&team); err != nil {
//		return err
//	}
//
// A [Raw] always holds a JSON object, or nothing: decoding anything else
// into one (an array, a string, a number) fails with an error matching
// [ErrNotObject], and null leaves it empty.
package metadata

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// Raw is the JSON text of a metadata object, exactly as it arrived
// (whitespace included). A nil or empty Raw stands for no metadata: it
// marshals as {} and decodes as an empty object. See [Raw.IsEmpty].
//
// A Raw shares its bytes when copied, like any slice; treat it as read-only.
type Raw []byte

// ErrNotObject is what decoding a JSON value other than an object or null
// into a [Raw] fails with: metadata is always an object.
var ErrNotObject = errors.New("metadata: not a JSON object")

// empty is the JSON text of an empty Raw.
var empty = []byte("{}")

// UnmarshalJSON keeps a copy of b, which must be a JSON object, so that the
// caller may reuse b afterwards. null makes r nil.
func (r *Raw) UnmarshalJSON(b []byte) error {
	b, err := object(b)
	if err != nil {
		return err
	}
	*r = append(Raw(nil), b...) // a copy: b may be a pooled buffer; nil for null
	return nil
}

// object returns b without leading white space if it is a JSON object, nil
// if it is null, and an error matching ErrNotObject otherwise.
func object(b []byte) ([]byte, error) {
	b = bytes.TrimLeft(b, " \t\r\n")
	switch {
	case len(b) == 0:
		return nil, fmt.Errorf("%w: the value is empty", ErrNotObject)
	case b[0] == '{':
		return b, nil
	case string(bytes.TrimRight(b, " \t\r\n")) == "null":
		return nil, nil
	}
	return nil, fmt.Errorf("%w: got %s", ErrNotObject, kindOf(b[0]))
}

// kindOf names the kind of JSON value that starts with c.
func kindOf(c byte) string {
	switch c {
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	}
	return "a number"
}

// MarshalJSON returns r, or {} when r is empty.
func (r Raw) MarshalJSON() ([]byte, error) {
	if len(r) == 0 {
		return empty, nil
	}
	return r, nil
}

// IsEmpty reports whether r holds no key: it is nil (the metadata was
// absent or null), or an object without members such as {}.
func (r Raw) IsEmpty() bool {
	b := bytes.TrimSpace(r)
	return len(b) == 0 || (b[0] == '{' && string(bytes.TrimSpace(b[1:])) == "}")
}

// Decode unmarshals the metadata into v, as [encoding/json.Unmarshal]
// does: into a struct of the caller's, a map, or any other value that an
// object decodes into. Keys that v has no field for are ignored. An empty
// Raw decodes as {}.
func (r Raw) Decode(v any) error {
	if len(r) == 0 {
		return json.Unmarshal(empty, v)
	}
	return json.Unmarshal(r, v)
}

// Map decodes the metadata into a new map, which the caller may change: an
// empty one when r is empty. Numbers become float64, as with
// [encoding/json].
func (r Raw) Map() (map[string]any, error) {
	m := map[string]any{}
	if len(r) == 0 {
		return m, nil
	}
	if err := json.Unmarshal(r, &m); err != nil {
		return nil, err
	}
	return m, nil
}

// String returns the JSON text, {} when r is empty, so that printing an
// invitation shows its metadata as JSON rather than as bytes.
func (r Raw) String() string {
	if len(r) == 0 {
		return "{}"
	}
	return string(r)
}

// Encode marshals v, which must marshal as a JSON object (a map or a
// struct) or as null, into a Raw: for tests and fakes that build responses.
// A nil map gives an empty Raw.
func Encode(v any) (Raw, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	b, err = object(b)
	return Raw(b), err
}
