//go:build !llmo_faults

package bridge

// The collector's library (make rust-lib).

/*
#cgo LDFLAGS: ${SRCDIR}/lib/libllmo.a -ldl -lm -lpthread
*/
import "C"
