package metadata_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/metadata"
)

type holder struct {
	Meta metadata.Raw `json:"meta"`
}

func TestUnmarshalKeepsTheObjectAsItCame(t *testing.T) {
	var h holder
	require.NoError(t, json.Unmarshal([]byte(`{"meta": {"team": "compilers", "n": [1, 2]}}`), &h))
	assert.Equal(t, `{"team": "compilers", "n": [1, 2]}`, string(h.Meta))
	assert.False(t, h.Meta.IsEmpty())
}

// The client decodes from a buffer it reuses for the next response: what
// a Raw holds must not change when that buffer does.
func TestUnmarshalCopiesItsInput(t *testing.T) {
	buf := []byte(`{"team":"compilers"}`)
	var r metadata.Raw
	require.NoError(t, r.UnmarshalJSON(buf))
	for i := range buf {
		buf[i] = 'x'
	}
	assert.Equal(t, `{"team":"compilers"}`, string(r))
}

func TestNullAndAbsentAreEmpty(t *testing.T) {
	for _, tc := range []struct {
		body   string
		before metadata.Raw
	}{
		{`{"meta": null}`, metadata.Raw(`{"old":1}`)}, // null clears what was there
		{`{}`, nil},
	} {
		h := holder{Meta: tc.before}
		require.NoError(t, json.Unmarshal([]byte(tc.body), &h), tc.body)
		assert.Nil(t, h.Meta, tc.body)
		assert.True(t, h.Meta.IsEmpty(), tc.body)
		out, err := json.Marshal(h)
		require.NoError(t, err)
		assert.Equal(t, `{"meta":{}}`, string(out), "an empty Raw marshals as {}")
	}
}

func TestAnythingButAnObjectIsRefused(t *testing.T) {
	for _, v := range []string{`[]`, `[{"a":1}]`, `"text"`, `12`, `true`} {
		var h holder
		err := json.Unmarshal([]byte(`{"meta":`+v+`}`), &h)
		assert.ErrorIs(t, err, metadata.ErrNotObject, v)

		_, err = metadata.Encode(json.RawMessage(v))
		assert.ErrorIs(t, err, metadata.ErrNotObject, v)
	}
	var r metadata.Raw
	assert.ErrorIs(t, r.UnmarshalJSON(nil), metadata.ErrNotObject)
}

func TestIsEmpty(t *testing.T) {
	for v, want := range map[string]bool{"": true, "{}": true, " { \n } ": true, `{"a":1}`: false, `{"":null}`: false} {
		assert.Equal(t, want, metadata.Raw(v).IsEmpty(), "%q", v)
	}
}

func TestDecodeIntoAStructOrAMap(t *testing.T) {
	r := metadata.Raw(`{"team":"compilers","level":3,"tags":["a"]}`)
	var s struct {
		Team  string `json:"team"`
		Level int    `json:"level"`
	}
	require.NoError(t, r.Decode(&s))
	assert.Equal(t, "compilers", s.Team)
	assert.Equal(t, 3, s.Level)

	m, err := r.Map()
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"team": "compilers", "level": 3.0, "tags": []any{"a"}}, m)

	m, err = metadata.Raw(nil).Map()
	require.NoError(t, err)
	require.NotNil(t, m, "a map the caller can fill")
	assert.Empty(t, m)
	m["k"] = 1 // does not panic

	var empty struct{ Team string }
	require.NoError(t, metadata.Raw(nil).Decode(&empty))

	var wrong struct {
		Team int `json:"team"`
	}
	assert.Error(t, r.Decode(&wrong))
	_, err = metadata.Raw(`{"team":`).Map()
	assert.Error(t, err)
}

func TestEncodeAndMarshalRoundTrip(t *testing.T) {
	r, err := metadata.Encode(map[string]any{"team": "compilers", "level": 3})
	require.NoError(t, err)
	assert.Equal(t, `{"level":3,"team":"compilers"}`, string(r))

	r, err = metadata.Encode(map[string]any(nil))
	require.NoError(t, err)
	assert.Nil(t, r, "a nil map is no metadata")

	out, err := json.Marshal(holder{Meta: metadata.Raw(` {"a": 1} `)})
	require.NoError(t, err)
	assert.Equal(t, `{"meta":{"a":1}}`, string(out), "encoding/json compacts what MarshalJSON returns")

	_, err = metadata.Encode(func() {})
	assert.Error(t, err)
}

func TestString(t *testing.T) {
	assert.Equal(t, "{}", metadata.Raw(nil).String())
	assert.Equal(t, `{"a":1}`, metadata.Raw(`{"a":1}`).String())
}
