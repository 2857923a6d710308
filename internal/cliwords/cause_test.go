package cliwords

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
)

// noCause wraps nothing, though it has an Unwrap.
type noCause struct{}

func (noCause) Error() string { return "no cause" }
func (noCause) Unwrap() error { return nil }

// noCauses wraps an empty list.
type noCauses struct{}

func (noCauses) Error() string   { return "no causes" }
func (noCauses) Unwrap() []error { return nil }

func TestCause(t *testing.T) {
	bottom := errors.New("disk full")
	_, missing := os.Open(filepath.Join(t.TempDir(), "missing.csv"))
	for _, tc := range []struct {
		name string
		err  error
		want error
	}{
		{"a plain error is its own cause", bottom, bottom},
		{"a wrapped error says its cause", fmt.Errorf("bulkinvite: journal: %w", bottom), bottom},
		{"wrapped twice", fmt.Errorf("a: %w", fmt.Errorf("b: %w", bottom)), bottom},
		{"a file's error drops the call and the path", missing, syscall.ENOENT},
		{"a path error wrapped", fmt.Errorf("saving: %w", &fs.PathError{Op: "open", Path: "/x", Err: syscall.EACCES}), syscall.EACCES},
		{"of several, the last", fmt.Errorf("%w: %w", errors.New("server check"), bottom), bottom},
		{"joined, the last", errors.Join(errors.New("first"), bottom), bottom},
		{"an Unwrap of nil stops there", fmt.Errorf("x: %w", noCause{}), noCause{}},
		{"an Unwrap of none stops there", fmt.Errorf("x: %w", noCauses{}), noCauses{}},
	} {
		assert.Equal(t, tc.want, Cause(tc.err), tc.name)
	}
}
