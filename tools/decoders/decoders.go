// Package decoders compares JSON decoders on the responses the client
// decodes most: pages of 100 and 500 invitations, and the 40 pages of 500
// of a walk over 20,000, into gen's models, metadata.Raw included. It is a
// module of its own, so that the decoders it only compares stay out of the
// library's go.mod. From the repository's root:
//
//	make bench-decoders   # BENCHCOUNT interleaved runs of both builds, then medians
//
// One build measures encoding/json as Go 1.26 has it and the decoders from
// outside the Go tree; the other, built with GOEXPERIMENT=jsonv2, measures
// encoding/json running on the json v2 implementation and encoding/json/v2
// itself. TestDecodersAgree holds each decoder to what encoding/json
// decodes.
package decoders

import (
	"github.com/bytedance/sonic"
	jsonexp "github.com/go-json-experiment/json"
	gojson "github.com/goccy/go-json"
	segjson "github.com/segmentio/encoding/json"
)

// Decoder is one way of unmarshalling JSON.
type Decoder struct {
	Name      string
	Unmarshal func(data []byte, v any) error
}

// others are the decoders from outside the Go tree. Each one copies the
// strings it decodes (none keeps pointers into its input), which the
// client needs: it decodes from a buffer that it reuses. They are
// measured in the build without GOEXPERIMENT=jsonv2 (with it,
// go-json-experiment/json is the Go tree's encoding/json/v2).
var others = []Decoder{
	{"go-json-experiment/json", func(data []byte, v any) error { return jsonexp.Unmarshal(data, v) }},
	{"goccy/go-json", gojson.Unmarshal},
	{"segmentio/encoding/json", segjson.Unmarshal},
	// ConfigStd copies strings, as encoding/json does; sonic's default
	// config would keep them pointing into the input buffer.
	{"bytedance/sonic", sonic.ConfigStd.Unmarshal},
}
