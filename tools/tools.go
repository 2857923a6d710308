//go:build tools

// Package tools pins the developer tools that the Makefile runs and the
// library does not need: ogen, the second, independent generator that `make
// spec` runs over api/openapi.yaml to prove the contract is consumable beyond
// oapi-codegen; staticcheck; and benchstat. They live in their own module so
// that none of them, nor their dependencies, enter the library's go.mod.
//
// The imports after the generator are the packages that ogen's generated
// client itself imports; naming them here keeps them in go.mod and go.sum
// even when the generated code (which is not committed) is absent.
package tools

import (
	_ "github.com/ogen-go/ogen/cmd/ogen"
	_ "golang.org/x/perf/cmd/benchstat"
	_ "honnef.co/go/tools/cmd/staticcheck"

	_ "github.com/go-faster/errors"
	_ "github.com/go-faster/jx"
	_ "github.com/ogen-go/ogen/conv"
	_ "github.com/ogen-go/ogen/http"
	_ "github.com/ogen-go/ogen/middleware"
	_ "github.com/ogen-go/ogen/ogenerrors"
	_ "github.com/ogen-go/ogen/otelogen"
	_ "github.com/ogen-go/ogen/uri"
	_ "github.com/ogen-go/ogen/validate"
	_ "go.opentelemetry.io/otel"
	_ "go.opentelemetry.io/otel/attribute"
	_ "go.opentelemetry.io/otel/codes"
	_ "go.opentelemetry.io/otel/metric"
	_ "go.opentelemetry.io/otel/semconv/v1.39.0"
	_ "go.opentelemetry.io/otel/trace"
)
