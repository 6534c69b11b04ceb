package redact

import (
	"bufio"
	"errors"
	"io"
)

// Streaming: text of any size, in bounded memory. The text is processed
// in rounds that end at fixed positions, every chunkSize bytes, whatever
// pieces it arrives in: a round scans the keywords up to its end once
// maxAhead more bytes are there, so every matcher sees the window it
// would see in the whole text, and writes text only up to where no value
// found later can start. A stream holds at most about chunkSize +
// maxBehind + maxAhead bytes of text (1.2 MB) plus what it learnt.

// chunkSize is the distance between rounds; tests make it small.
var chunkSize = 1 << 20

// Stream redacts text written to it in any pieces and writes the redacted
// text to an io.Writer, keeping pseudonyms consistent across the whole
// stream and never cutting a value at a chunk boundary. Close flushes
// the end.
//
// A Stream reads the text once, so it can only replace the other
// occurrences of a value that follow the value's first identification;
// its pseudonyms also cannot avoid text that comes later. RedactReader
// reads a seekable input twice and then gives exactly what Redact gives.
type Stream struct {
	c      chunker
	closed bool
}

// NewStream returns a Stream that writes to w.
func NewStream(w io.Writer, opts Options) *Stream {
	s := newSession(opts)
	s.clone = true
	st := &Stream{}
	st.c = chunker{s: s, learn: true, write: true, allocateEach: true, out: newOutput(w), cut: chunkSize}
	st.c.s.res.reset()
	return st
}

// Write redacts p, writing what is settled.
func (st *Stream) Write(p []byte) (int, error) {
	if st.closed {
		return 0, errors.New("redact: write to a closed Stream")
	}
	st.c.feed(p)
	return len(p), st.c.out.err
}

// Close redacts and writes the rest of the text. It does not close the
// underlying writer.
func (st *Stream) Close() error {
	if !st.closed {
		st.closed = true
		st.c.round(0, true)
		st.c.out.flush()
	}
	return st.c.out.err
}

// Counts returns how many occurrences of each kind were replaced so far.
func (st *Stream) Counts() map[string]int { return st.c.out.counts }

// RedactReader redacts everything r holds to w and returns the number of
// occurrences replaced per kind. When r is an io.Seeker (a file), it
// reads r twice: once to learn every value and where the stems of
// pseudonyms occur, once to write, so the output equals what Redact
// gives for the whole text and Restore inverts it. Otherwise it works as
// a Stream.
func RedactReader(r io.Reader, w io.Writer, opts Options) (map[string]int, error) {
	seeker, ok := r.(io.Seeker)
	if ok {
		if start, err := seeker.Seek(0, io.SeekCurrent); err == nil {
			return redactTwice(r, seeker, start, w, opts)
		}
	}
	st := NewStream(w, opts)
	if _, err := io.Copy(st, r); err != nil {
		return st.Counts(), err
	}
	return st.Counts(), st.Close()
}

// redactTwice learns from r, seeks back to start and writes.
func redactTwice(r io.Reader, seeker io.Seeker, start int64, w io.Writer, opts Options) (map[string]int, error) {
	s := newSession(opts)
	s.clone = true
	learner := chunker{s: s, learn: true, stems: true, cut: chunkSize}
	s.res.reset()
	if err := learner.readAll(r); err != nil {
		return nil, err
	}
	s.allocate()
	if _, err := seeker.Seek(start, io.SeekStart); err != nil {
		return nil, err
	}
	writer := chunker{s: s, write: true, out: newOutput(w), cut: chunkSize}
	s.res.reset()
	err := writer.readAll(r)
	writer.out.flush()
	if err == nil {
		err = writer.out.err
	}
	return writer.out.counts, err
}

// chunker runs a session over text that arrives in pieces.
type chunker struct {
	s            *session
	learn, write bool
	stems        bool // record where stems occur (the learning pass)
	allocateEach bool // allocate after each chunk (a single pass)
	buf          []byte
	base         int // absolute position of buf[0]
	scanned      int // keywords are scanned up to here
	cut          int // where the next round ends
	out          *output
}

func (c *chunker) readAll(r io.Reader) error {
	chunk := make([]byte, 64<<10)
	for {
		n, err := r.Read(chunk)
		c.feed(chunk[:n])
		if err == io.EOF {
			c.round(0, true)
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// feed adds p to the buffer and runs every round it completes.
func (c *chunker) feed(p []byte) {
	c.buf = append(c.buf, p...)
	for c.base+len(c.buf) >= c.cut+maxAhead {
		c.round(c.cut, false)
		c.cut += chunkSize
	}
}

// round scans keywords up to scanTo, or to the end when final, and
// settles, allocates and writes what it can.
func (c *chunker) round(scanTo int, final bool) {
	var text string
	if final {
		text = string(c.buf)
		scanTo = c.base + len(text)
	} else {
		text = string(c.buf[:scanTo+maxAhead-c.base])
	}
	end := c.base + len(text)
	upTo := scanTo - maxLead
	if final {
		upTo = end
	}
	if scanTo > c.scanned {
		c.s.scan(text, c.base, c.scanned-c.base, scanTo-c.base, 0, len(text), c.base == 0, final, c.stems || c.allocateEach)
		c.scanned = scanTo
	}
	c.s.settle(upTo, c.learn, c.write)
	if c.allocateEach {
		c.s.allocate()
	}
	keepFrom := scanTo - maxBehind
	if c.write {
		c.s.write(text, c.base, upTo, c.out.emit)
		keepFrom = min(keepFrom, c.s.res.done)
	}
	if final {
		c.buf, c.base = nil, end
		return
	}
	keepFrom = max(keepFrom, c.base)
	n := copy(c.buf, c.buf[keepFrom-c.base:])
	c.buf = c.buf[:n]
	c.base = keepFrom
}

// output writes the redacted pieces and counts the replacements.
type output struct {
	w      *bufio.Writer
	counts map[string]int
	err    error
}

func newOutput(w io.Writer) *output {
	return &output{w: bufio.NewWriterSize(w, 64<<10), counts: map[string]int{}}
}

func (o *output) emit(piece string, m *match, pseudonym string) {
	if m != nil {
		o.counts[m.kind]++
		piece = pseudonym
	}
	if o.err == nil {
		_, o.err = o.w.WriteString(piece)
	}
}

func (o *output) flush() {
	if o.err == nil {
		o.err = o.w.Flush()
	}
}
