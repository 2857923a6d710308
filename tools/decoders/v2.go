//go:build goexperiment.jsonv2

package decoders

import (
	stdjson "encoding/json"
	jsonv2 "encoding/json/v2"
)

// Decoders are the decoders compared in this build: with
// GOEXPERIMENT=jsonv2, encoding/json runs on the json v2 implementation,
// and encoding/json/v2 is there to call directly.
var Decoders = []Decoder{
	{"encoding/json_(GOEXPERIMENT=jsonv2)", stdjson.Unmarshal},
	{"encoding/json/v2_(GOEXPERIMENT=jsonv2)", func(data []byte, v any) error { return jsonv2.Unmarshal(data, v) }},
}
