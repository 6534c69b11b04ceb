package redact

import "runtime"

// heapWatcher discards what is written to it and notes the largest heap
// it sees, every megabyte.
type heapWatcher struct {
	n, next int
	maxHeap uint64
}

func (w *heapWatcher) Write(p []byte) (int, error) {
	w.n += len(p)
	if w.n >= w.next {
		w.next = w.n + 1<<20
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		w.maxHeap = max(w.maxHeap, m.HeapAlloc)
	}
	return len(p), nil
}
