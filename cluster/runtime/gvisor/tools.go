//go:build tools

// Package tools records the gVisor commands that build-gvisor.sh builds, so
// that `go mod tidy` keeps their dependencies in go.sum.
package tools

import (
	_ "gvisor.dev/gvisor/runsc"
	_ "gvisor.dev/gvisor/shim"
)
