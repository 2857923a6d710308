// Package privatefile writes files that hold people's data: readable by
// their owner only, and complete or absent.
package privatefile

import (
	"os"
	"path/filepath"
)

// Mode is the mode of every file written here: the owner's only.
const Mode = 0o600

// Write puts data in the file at path, mode [Mode] whatever the umask. The
// file appears whole or not at all: data goes to a temporary file beside
// path, is synced, and is renamed over path. On failure path is left as it
// was and nothing is left beside it.
func Write(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // gone once renamed; removed if anything failed
	err = tmp.Chmod(Mode)
	if err == nil {
		_, err = tmp.Write(data)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	return err
}
