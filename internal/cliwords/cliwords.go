// Package cliwords holds what clerk-invite and clerk-fake share of the
// words people read: the mistakes of a command line said plainly (a
// flag's value that cannot be read names the flag and what it takes,
// "--check-delay "soon" is not a duration, such as 5s, 90m or 1h30m",
// never the Go function that failed to parse it, "time: invalid
// duration"; a stray argument names itself), an error said by its cause
// alone (Cause), and the rule every message keeps, which the commands'
// tests check (Violations, Repeats).
package cliwords

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Explain is a cobra FlagErrorFunc: a flag's error as a person reads it.
// Install it with SetFlagErrorFunc on the root command; the subcommands
// inherit it.
func Explain(_ *cobra.Command, err error) error {
	var invalid *pflag.InvalidValueError
	var needs *pflag.ValueRequiredError
	switch {
	case errors.As(err, &invalid):
		f := invalid.GetFlag()
		return fmt.Errorf("--%s %q is not %s", f.Name, invalid.GetValue(), takes(f.Value.Type()))
	case errors.As(err, &needs):
		f := needs.GetFlag()
		return fmt.Errorf("--%s needs a value: %s", f.Name, takes(f.Value.Type()))
	}
	return err
}

// takes says what a flag of a pflag value type takes.
func takes(typ string) string {
	switch typ {
	case "duration":
		return "a duration, such as 5s, 90m or 1h30m"
	case "int", "int64", "int32", "uint", "uint64", "uint16":
		return "a whole number"
	case "bool":
		return "true or false"
	}
	return "a value it takes"
}

// NoArgs is a cobra Args check for a command that takes flags only: it
// names the stray argument.
func NoArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("%s takes flags only, and %q is not one (a flag starts with --)", cmd.CommandPath(), args[0])
	}
	return nil
}
