//go:build llmo_faults

package bridge

// The test library with the fault_injection processor kind (make faults-lib; go test
// -tags llmo_faults): a separate build, so the collector's library never has it.

/*
#cgo LDFLAGS: ${SRCDIR}/lib/faults/libllmo.a -ldl -lm -lpthread
*/
import "C"
