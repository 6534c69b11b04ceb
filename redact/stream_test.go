package redact

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
)

// streamText is a text of several hundred kilobytes: the labelled corpus,
// the classification corpus and the real-world corpus, one after the
// other.
func streamText(t *testing.T) string {
	var b strings.Builder
	for _, c := range loadCorpus(t) {
		b.WriteString(c.input)
	}
	for _, pattern := range []string{"../testdata/classify/*", "../testdata/realworld/*/*"} {
		files, _ := filepath.Glob(pattern)
		sort.Strings(files)
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			b.Write(data)
		}
	}
	return b.String()
}

// withChunkSize runs f with rounds every n bytes.
func withChunkSize(n int, f func()) {
	defer func(old int) { chunkSize = old }(chunkSize)
	chunkSize = n
	f()
}

// TestRedactReaderEqualsRedact checks that reading a seekable input in
// two passes gives exactly what Redact gives, with rounds far smaller
// than the text, and counts what it replaced.
func TestRedactReaderEqualsRedact(t *testing.T) {
	for _, opts := range []Options{{}, {Identifiers: true}} {
		redactReaderEqualsRedact(t, streamText(t), opts)
	}
}

func redactReaderEqualsRedact(t *testing.T, text string, opts Options) {
	want := Redact(text, opts)
	wantCounts := map[string]int{}
	for _, r := range want.Replacements {
		wantCounts[r.Kind]++
	}
	for _, size := range []int{4 << 10, 37 << 10, 1 << 20} {
		withChunkSize(size, func() {
			var out bytes.Buffer
			counts, err := RedactReader(strings.NewReader(text), &out, opts)
			if err != nil {
				t.Fatal(err)
			}
			if out.String() != want.Text {
				t.Errorf("chunks of %d: RedactReader differs from Redact:\n%s", size, firstDifference(want.Text, out.String()))
			}
			if !equalCounts(counts, wantCounts) {
				t.Errorf("chunks of %d: counts %v, want %v", size, counts, wantCounts)
			}
			if back := Restore(text, out.String()); back != text {
				t.Errorf("chunks of %d: Restore does not give the input back", size)
			}
		})
	}
}

// TestStreamCutInsideName checks a name that straddles the point where
// a round stops writing: it must be written whole, in the next round.
func TestStreamCutInsideName(t *testing.T) {
	withChunkSize(100000, func() {
		cut := chunkSize - maxLead
		arn := "arn:aws:iam::210987654321:role/"
		pad := strings.Repeat("lorem ipsum dolor sit amet\n", cut/27+1)[:cut-len(arn)-5]
		text := pad + arn + "payments-deployer is the role\n" + strings.Repeat("more text\n", 20000)
		redactReaderEqualsRedact(t, text, Options{Identifiers: true})
		if got := streamOnce(t, text, 4096, Options{Identifiers: true}); !strings.Contains(got, "role/redacted-role-1 is") {
			t.Errorf("the Stream did not redact the name at the cut")
		}
	})
}

// TestStreamPieces checks that a Stream's output does not depend on the
// pieces the text is written in, and that it redacts every labelled
// secret of the corpus, whose values are identified where they first
// occur.
func TestStreamPieces(t *testing.T) {
	text := streamText(t)
	withChunkSize(8<<10, func() {
		whole := streamOnce(t, text, len(text), Options{})
		for _, piece := range []int{1, 7, 4096, 100 << 10} {
			if got := streamOnce(t, text, piece, Options{}); got != whole {
				t.Errorf("pieces of %d: output differs:\n%s", piece, firstDifference(whole, got))
			}
		}
		for _, c := range loadCorpus(t) {
			for _, l := range c.secrets {
				if strings.Contains(whole, l.value) {
					t.Errorf("%s: %s %q is in the streamed output", c.name, l.kind, l.value)
				}
			}
		}
	})
}

// TestStreamWithoutChunks checks that a Stream over a text shorter than
// a round gives what Redact gives.
func TestStreamWithoutChunks(t *testing.T) {
	for _, c := range loadCorpus(t) {
		if got, want := streamOnce(t, c.input, 1000, Options{}), Redact(c.input, Options{}).Text; got != want {
			t.Errorf("%s: Stream differs from Redact:\n%s", c.name, firstDifference(want, got))
		}
	}
}

func streamOnce(t *testing.T, text string, piece int, opts Options) string {
	var out bytes.Buffer
	st := NewStream(&out, opts)
	for i := 0; i < len(text); i += piece {
		if _, err := st.Write([]byte(text[i:min(len(text), i+piece)])); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Write([]byte("x")); err == nil {
		t.Error("Write after Close did not fail")
	}
	return out.String()
}

func equalCounts(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// firstDifference shows where two texts first differ.
func firstDifference(want, got string) string {
	i := 0
	for i < len(want) && i < len(got) && want[i] == got[i] {
		i++
	}
	from := max(0, i-80)
	return "want …" + want[from:min(len(want), i+80)] + "…\n got …" + got[from:min(len(got), i+80)] + "…"
}

// TestStreamMemory redacts 48 MB from a reader that cannot seek, so in one
// pass, and checks that the heap stays a small multiple of a round.
func TestStreamMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 48 MB")
	}
	text := streamText(t)
	src := &repeater{text: text, left: 48 << 20}
	sink := &heapWatcher{}
	if _, err := RedactReader(src, sink, Options{}); err != nil {
		t.Fatal(err)
	}
	if sink.n < 40<<20 || sink.maxHeap > 64<<20 {
		t.Errorf("wrote %d bytes with a heap of up to %d MB", sink.n, sink.maxHeap>>20)
	}
	t.Logf("48 MB streamed with a heap of at most %d MB", sink.maxHeap>>20)
}

// repeater reads text again and again, left bytes in all.
type repeater struct {
	text string
	pos  int
	left int
}

func (r *repeater) Read(p []byte) (int, error) {
	if r.left == 0 {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), r.left)], r.text[r.pos:])
	r.pos = (r.pos + n) % len(r.text)
	r.left -= n
	return n, nil
}

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
