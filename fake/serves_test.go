package fake

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/invitekit/clerkinvitations/gen"
)

// Every operation of the spec is served. The store embeds
// gen.UnimplementedStrictServer, so that an operation added to the spec
// compiles at once; this test then names it until the fake serves it.
func TestServesEveryOperation(t *testing.T) {
	s := reflect.ValueOf(newStore())
	for _, op := range gen.Operations {
		m := s.MethodByName(op.ID)
		if !m.IsValid() {
			t.Errorf("the fake has no method for operation %s", op.ID)
			continue
		}
		request := reflect.Zero(m.Type().In(1))
		out := m.Call([]reflect.Value{reflect.ValueOf(context.Background()), request})
		if err, _ := out[1].Interface().(error); errors.Is(err, gen.ErrNotImplemented) {
			t.Errorf("the fake does not serve operation %s (%s %s) yet: implement it in store.go", op.ID, op.Method, op.Path)
		}
	}
}
