// Package memnet is a network in memory for tests: a listener whose
// connections are net.Pipe pairs, and an HTTP transport that dials it.
//
// Inside a testing/synctest bubble a goroutine waiting on a loopback socket
// is not durably blocked, so the bubble's clock cannot move while a server
// waits for its next connection. A goroutine waiting on a pipe is, so a
// server and its clients on this network run entirely on the bubble's
// clock: a test of timeouts, pauses and request limits then takes no real
// time and gives the same result however busy the machine is.
package memnet

import (
	"context"
	"net"
	"net/http"
	"sync"
	"time"
)

// Listener is a net.Listener that accepts the connections its Dial makes.
// It is safe for concurrent use.
type Listener struct {
	conns  chan net.Conn
	closed chan struct{}
	once   sync.Once
}

// Listen returns a listener of a network of its own.
func Listen() *Listener {
	return &Listener{conns: make(chan net.Conn), closed: make(chan struct{})}
}

// Accept waits for the next connection a Dial makes.
func (l *Listener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.closed:
		return nil, net.ErrClosed
	}
}

// Close stops Accept and every Dial after it; connections made before stay
// open until one of their ends closes them.
func (l *Listener) Close() error {
	l.once.Do(func() { close(l.closed) })
	return nil
}

// Addr is the address servers on this network report: 127.0.0.1, so that
// clients which allow plain HTTP only on loopback accept it.
func (l *Listener) Addr() net.Addr { return addr{} }

// DialContext connects to the listener, whatever network and address it is
// given: one end of a pipe for the caller, the other for Accept.
func (l *Listener) DialContext(ctx context.Context, _, _ string) (net.Conn, error) {
	client, server := net.Pipe()
	select {
	case l.conns <- server:
		return client, nil
	case <-l.closed:
	case <-ctx.Done():
	}
	_ = client.Close()
	_ = server.Close()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return nil, net.ErrClosed
}

// Transport returns an HTTP/1.1 transport whose every connection goes to
// the listener. It sets no timeout of its own: those of the requests'
// contexts are the ones under test.
func (l *Listener) Transport() *http.Transport {
	return &http.Transport{DialContext: l.DialContext, MaxIdleConnsPerHost: 64, IdleConnTimeout: 90 * time.Second}
}

type addr struct{}

func (addr) Network() string { return "memnet" }
func (addr) String() string  { return "127.0.0.1:80" }
