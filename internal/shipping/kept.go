package shipping

import "sync"

// keptCache holds recently served slips in memory. Its keys are hashes of
// everything printed on a slip, so an entry never goes stale: a changed
// address or center is another key. It forgets the oldest entry first.
type keptCache struct {
	mu    sync.Mutex
	max   int
	bytes map[string][]byte
	order []string
}

func newKeptCache(max int) *keptCache {
	return &keptCache{max: max, bytes: make(map[string][]byte, max)}
}

func (c *keptCache) get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.bytes[key]
	return b, ok
}

func (c *keptCache) put(key string, pdf []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.bytes[key]; ok {
		return
	}
	if len(c.order) >= c.max {
		delete(c.bytes, c.order[0])
		c.order = c.order[1:]
	}
	c.bytes[key] = pdf
	c.order = append(c.order, key)
}
