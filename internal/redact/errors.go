package redact

import (
	stdjson "encoding/json"
	"errors"
	"net"
	"net/url"
	"reflect"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// Keeping the key out of the errors of other packages that ours wrap.
//
// What a transport or the decoder returns can hold the key where its
// message does not show it: the decoder cuts a long JSON pointer short in
// its message but keeps it whole in JSONPointer, which errors.As and
// json.Marshal reach. So an error is looked at whole (its message, its
// fields as %#v prints them, its JSON) at every link of its chain, and
// one that holds the key anywhere is rebuilt: the types users match on
// (url.Error, net.OpError, net.DNSError, the decoder's SyntacticError and
// SemanticError) as scrubbed copies of themselves, any other as a
// redactedError that prints its scrubbed message. Either way the rebuilt
// error wraps the rebuilt rest of the chain, never the original.

// Error returns err itself when nothing reachable from it holds the key,
// and otherwise a copy of its chain without the key.
func Error(err error, key string) error {
	if err == nil || key == "" || !reachesKey(err, key) {
		return err
	}
	switch e := err.(type) {
	case *url.Error:
		return &url.Error{Op: e.Op, URL: scrubString(e.URL, key), Err: Error(e.Err, key)}
	case *net.OpError:
		cp := *e
		cp.Source, cp.Addr = redactAddr(e.Source, key), redactAddr(e.Addr, key)
		cp.Err = Error(e.Err, key)
		return &cp
	case *net.DNSError:
		cp := *e
		cp.Err, cp.Name, cp.Server = scrubString(e.Err, key), scrubString(e.Name, key), scrubString(e.Server, key)
		cp.UnwrapErr = Error(e.UnwrapErr, key)
		return &cp
	case *jsontext.SyntacticError:
		cp := *e
		cp.JSONPointer = jsontext.Pointer(scrubString(string(e.JSONPointer), key))
		cp.Err = Error(e.Err, key)
		return &cp
	case *json.SemanticError:
		cp := *e
		cp.JSONPointer = jsontext.Pointer(scrubString(string(e.JSONPointer), key))
		cp.JSONValue = jsontext.Value(Bytes(e.JSONValue, key))
		cp.Err = Error(e.Err, key)
		return &cp
	}
	return &redactedError{msg: scrubString(err.Error(), key), err: Error(errors.Unwrap(err), key)}
}

// reachesKey reports whether err, or any error it wraps, holds the key in
// its message, its fields or its JSON.
func reachesKey(err error, key string) bool {
	for _, e := range chain(err) {
		if containsKey(e.Error(), key) || holdsKey(reflect.ValueOf(e), key, 0) {
			return true
		}
		if b, mErr := stdjson.Marshal(e); mErr == nil && containsKey(string(b), key) {
			return true
		}
	}
	return false
}

// chain is err and every error it wraps, through Unwrap() error and
// Unwrap() []error alike.
func chain(err error) []error {
	var out []error
	for todo := []error{err}; len(todo) > 0 && len(out) < maxChain; {
		e := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if e == nil {
			continue
		}
		out = append(out, e)
		switch u := e.(type) {
		case interface{ Unwrap() error }:
			todo = append(todo, u.Unwrap())
		case interface{ Unwrap() []error }:
			todo = append(todo, u.Unwrap()...)
		}
	}
	return out
}

// maxChain bounds how many errors chain looks at, against a cycle.
const maxChain = 64

// holdsKey reports whether v, or anything it holds (fields, exported or
// not, elements, what pointers and interfaces point to), is a string or
// bytes that hold the key. It goes no deeper than maxDepth.
func holdsKey(v reflect.Value, key string, depth int) bool {
	if depth > maxDepth || !v.IsValid() {
		return false
	}
	switch v.Kind() {
	case reflect.String:
		return containsKey(v.String(), key)
	case reflect.Pointer, reflect.Interface:
		return !v.IsNil() && holdsKey(v.Elem(), key, depth+1)
	case reflect.Struct:
		for i := range v.NumField() {
			if holdsKey(v.Field(i), key, depth+1) {
				return true
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8 {
			return containsKey(string(v.Bytes()), key)
		}
		for i := range min(v.Len(), maxElems) {
			if holdsKey(v.Index(i), key, depth+1) {
				return true
			}
		}
	case reflect.Map:
		for it, n := v.MapRange(), 0; it.Next() && n < maxElems; n++ {
			if holdsKey(it.Key(), key, depth+1) || holdsKey(it.Value(), key, depth+1) {
				return true
			}
		}
	}
	return false
}

// maxDepth and maxElems bound how far holdsKey looks into an error.
const (
	maxDepth = 8
	maxElems = 256
)

// redactAddr returns a, or an address printing its scrubbed text when it
// holds the key.
func redactAddr(a net.Addr, key string) net.Addr {
	if a == nil || !containsKey(a.String(), key) {
		return a
	}
	return redactedAddr{network: a.Network(), text: scrubString(a.String(), key)}
}

// redactedAddr is an address with the key scrubbed from it.
type redactedAddr struct{ network, text string }

func (a redactedAddr) Network() string { return a.network }
func (a redactedAddr) String() string  { return a.text }

// redactedError stands for an error of another package that held the key:
// it prints the scrubbed message, and wraps the redacted rest of the
// chain. It keeps nothing of the original, so neither errors.As nor
// json.Marshal can reach the key through it.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }
