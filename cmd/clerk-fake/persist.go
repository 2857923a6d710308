package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/invitekit/clerkinvitations/fake"
	"github.com/invitekit/clerkinvitations/internal/cliwords"
	"github.com/invitekit/clerkinvitations/internal/privatefile"
)

// saver writes the fake's state to --state after changes: a change pokes
// it, and a goroutine writes the latest snapshot, so changes that come
// faster than the disk are written together, and none is left unwritten.
type saver struct {
	path string
	poke chan struct{} // one pending save at most
	stop chan struct{}
	done chan error // the last save's error, once stopped
}

func newSaver(path string) *saver {
	return &saver{path: path, poke: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan error, 1)}
}

// changed asks for a save; it never blocks (it is the fake's WithOnChange).
func (sv *saver) changed() {
	select {
	case sv.poke <- struct{}{}:
	default: // a save is pending already, and will see this change too
	}
}

// run saves srv on every poke until stopped, then once more; errors go to
// report, the last one to done.
func (sv *saver) run(srv *fake.Server, report func(error)) {
	for {
		select {
		case <-sv.poke:
			if err := save(srv, sv.path); err != nil {
				report(err)
			}
		case <-sv.stop:
			sv.done <- save(srv, sv.path)
			return
		}
	}
}

// close saves a last time and returns that save's error.
func (sv *saver) close() error {
	close(sv.stop)
	return <-sv.done
}

// save writes srv's state to path, readable by its owner only, atomically:
// a reader (or a crash) sees the old file or the new, never half of one.
func save(srv *fake.Server, path string) error {
	data, err := srv.Snapshot()
	if err != nil {
		return fmt.Errorf("saving the state: %w", err)
	}
	if err := privatefile.Write(path, data); err != nil {
		return fmt.Errorf("saving the state to %s: %w", path, cliwords.Cause(err)) // the file, not the temporary one beside it
	}
	return nil
}

// load reads a state saved by save into srv. A file that does not exist
// yet is no error: the fake starts from its seed, and save creates it.
func load(srv *fake.Server, path string) (loaded bool, err error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, cliwords.Cause(err)
	}
	if err := srv.Restore(data); err != nil {
		return false, stateWords(err)
	}
	return true, nil
}

// stateWords says why a state file cannot be loaded, without the fake's
// package name: a file that is not JSON of a state's shape is said with
// the decoder's finding, anything else by the fake's reason.
func stateWords(err error) error {
	var se *fake.StateError
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case !errors.As(err, &se):
		return err
	case errors.As(se.Err, &syntax), errors.As(se.Err, &typ):
		return fmt.Errorf("not a state clerk-fake saved: %s", jsonWords(se.Err))
	}
	return errors.New(se.Reason)
}
