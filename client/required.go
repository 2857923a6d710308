package client

import (
	"reflect"
	"strconv"
	"strings"
	"sync"
)

// Checking that a successful response holds what the schema requires.
//
// The generated models mark a required property by leaving omitempty off
// its json tag. After decoding, an absent property and one that is present
// but empty look alike, so the check looks only at values that the API
// never sends empty: a required object, list or map must not be missing (or
// null, unless its field is a pointer, which is how a nullable one is
// generated); a required enum value must not be empty; and a required id
// must not be empty, since every object the API returns has one. A 2xx whose
// body is {} or null fails it, instead of passing for an invitation with no
// id.

// checkRequired reports the first required value that v (a pointer to a
// decoded model) lacks, naming it by its JSON path, such as "data[3].id".
func checkRequired(v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return nil
	}
	if path := missing(rv.Elem()); path != "" {
		return &MissingFieldError{Path: path}
	}
	return nil
}

// MissingFieldError is the cause of a [DecodeError] for a successful
// response that lacks a value the API's schema requires, such as an
// invitation without an id.
type MissingFieldError struct {
	// Path is the JSON path of the missing value, such as "id" or
	// "data[3].object".
	Path string
}

// Error names the missing value.
func (e *MissingFieldError) Error() string {
	return "the response lacks the required " + strconv.Quote(e.Path)
}

// missing returns the path of the first required value that v lacks, or "".
func missing(v reflect.Value) string {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return ""
		}
		return missing(v.Elem())
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			if p := missing(v.Index(i)); p != "" {
				return "[" + strconv.Itoa(i) + "]" + dotted(p)
			}
		}
	case reflect.Struct:
		for _, r := range requiredOf(v.Type()) {
			f := v.Field(r.index)
			if r.mustBeSet(f) {
				return r.name
			}
			if !r.deep {
				continue
			}
			if p := missing(f); p != "" {
				return r.name + dotted(p)
			}
		}
	}
	return ""
}

// dotted joins a nested path to its parent: indexes attach directly, names
// after a dot.
func dotted(p string) string {
	if strings.HasPrefix(p, "[") {
		return p
	}
	return "." + p
}

// requiredField is one required property of a model.
type requiredField struct {
	index int
	name  string // as the JSON spells it
	// nonEmpty: the value must not be the zero value (an enum, an id, a
	// non-nullable object, list or map). A metadata object (metadata.Raw,
	// a byte slice) is one: absent or null, it is nil.
	nonEmpty bool
	// deep: the value can hold models, whose own required values are
	// checked in turn. Raw JSON, such as metadata, holds none.
	deep bool
}

func (r requiredField) mustBeSet(f reflect.Value) bool {
	return r.nonEmpty && f.IsZero()
}

// requiredFields caches each model's required properties by type.
var requiredFields sync.Map // reflect.Type -> []requiredField

// requiredOf lists the required properties of struct type t, including
// those whose values need a look inside (structs, pointers, lists).
func requiredOf(t reflect.Type) []requiredField {
	if cached, ok := requiredFields.Load(t); ok {
		return cached.([]requiredField)
	}
	var fields []requiredField
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if name == "-" || name == "" {
			continue
		}
		omitempty := strings.Contains(opts, "omitempty")
		r := requiredField{index: i, name: name}
		switch sf.Type.Kind() {
		case reflect.Map, reflect.Slice:
			r.nonEmpty = !omitempty
		case reflect.String:
			r.nonEmpty = !omitempty && (name == "id" || sf.Type.PkgPath() != "")
		case reflect.Struct, reflect.Pointer:
			// Looked into below; a nil pointer is a null, which the
			// generator uses for nullable properties.
		default:
			continue // numbers and booleans: zero is a value
		}
		r.deep = holdsModels(sf.Type)
		if !r.nonEmpty && !r.deep {
			continue
		}
		fields = append(fields, r)
	}
	requiredFields.Store(t, fields)
	return fields
}

// holdsModels reports whether values of t can hold structs to look into.
func holdsModels(t reflect.Type) bool {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
		t = t.Elem()
	}
	return t.Kind() == reflect.Struct
}
