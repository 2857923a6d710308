//go:build !goexperiment.jsonv2

package decoders

import stdjson "encoding/json"

// Decoders are the decoders compared in this build: encoding/json as Go
// 1.26 has it, the reference, then the others.
var Decoders = append([]Decoder{{"encoding/json", stdjson.Unmarshal}}, others...)
