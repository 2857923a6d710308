package metadata_test

import (
	"encoding/json"
	"fmt"

	"github.com/invitekit/clerkinvitations/metadata"
)

// Metadata arrives as raw JSON and is decoded when it is needed, into the
// caller's own type.
func ExampleRaw_Decode() {
	var inv struct {
		PublicMetadata metadata.Raw `json:"public_metadata"`
	}
	_ = json.Unmarshal([]byte(`{"public_metadata":{"team":"compilers","seats":3}}`), &inv)

	var meta struct {
		Team  string `json:"team"`
		Seats int    `json:"seats"`
	}
	if err := inv.PublicMetadata.Decode(&meta); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(meta.Team, meta.Seats)
	// Output: compilers 3
}

func ExampleRaw_Map() {
	m, err := metadata.Raw(`{"team":"compilers"}`).Map()
	fmt.Println(m["team"], err)
	// Output: compilers <nil>
}

func ExampleRaw_IsEmpty() {
	fmt.Println(metadata.Raw(nil).IsEmpty(), metadata.Raw(`{}`).IsEmpty(), metadata.Raw(`{"a":1}`).IsEmpty())
	// Output: true true false
}
