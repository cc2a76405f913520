package limit

import (
	"context"
	"sync"
	"time"
)

// Memory is a Counter for one process. It holds at most Max keys: ended
// windows are dropped when room is needed, so memory stays bounded
// whatever the traffic.
type Memory struct {
	max int
	now func() time.Time

	mu      sync.Mutex
	windows map[string]window
}

type window struct {
	count int
	ends  time.Time
}

// NewMemory returns a counter holding at most max keys (about 100 bytes
// each); now is the clock (time.Now when nil).
func NewMemory(max int, now func() time.Time) *Memory {
	if now == nil {
		now = time.Now
	}
	return &Memory{max: max, now: now, windows: map[string]window{}}
}

// Add implements Counter.
func (m *Memory) Add(_ context.Context, key string, n int, length time.Duration) (int, error) {
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	w, ok := m.windows[key]
	if !ok || !now.Before(w.ends) {
		if len(m.windows) >= m.max {
			m.makeRoom(now)
		}
		w = window{ends: now.Add(length)}
	}
	w.count += n
	m.windows[key] = w
	return w.count, nil
}

// Len returns the number of keys held.
func (m *Memory) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.windows)
}

// makeRoom drops ended windows, then, if the map is still full, a tenth of
// the keys at random (Go's map order): an attacker filling the map with new
// keys can at worst make some counts start over, never grow the process.
func (m *Memory) makeRoom(now time.Time) {
	for k, w := range m.windows {
		if !now.Before(w.ends) {
			delete(m.windows, k)
		}
	}
	for k := range m.windows {
		if len(m.windows) < m.max*9/10 {
			break
		}
		delete(m.windows, k)
	}
}
