//go:build !js

package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// unauthorized is a file of kubectl output, one error-text document.
const unauthorized = "$ kubectl get pods\nerror: You must be logged in to the server (Unauthorized)\n"

// TestFiles opens files on the page with its button and by dropping them
// onto the editor: several become documents titled with their names, a
// file that is not text or is too large is refused with a message naming
// it, and text dragged onto the editor is still the editor's to drop.
func TestFiles(t *testing.T) {
	s := newSite(t)
	sample, err := os.ReadFile("testdata/aws-auth-masters.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}

	t.Run("open several", func(t *testing.T) {
		ctx, _ := s.tab(t, desktop)
		files := []string{write("aws-auth.yaml", sample), write("kubectl.log", []byte(unauthorized))}
		var text string
		var titles []string
		var r result
		run(t, ctx, chromedp.Navigate(s.url+"/"), waitReady(),
			act(chooseFiles("#open-files", files)),
			editorText(&text), docTitles(&titles), readResult(&r))
		want := "==> aws-auth.yaml <==\n" + string(sample) + "\n==> kubectl.log <==\n" + unauthorized
		if text != want {
			t.Errorf("the editor holds:\n%s\nwant:\n%s", text, want)
		}
		if !slices.Equal(slices.Sorted(slices.Values(titles)), []string{"aws-auth.yaml", "kubectl.log"}) {
			t.Errorf("documents titled %q, want the files' names", titles)
		}
		// AUTH002 is at line 16 of the file, under one header line.
		if !slices.ContainsFunc(r.Findings, func(f finding) bool { return f.Rule == "AUTH002" && f.Line == 17 }) || r.Error {
			t.Errorf("want AUTH002 at line 17, got %+v (status %q)", r.Findings, r.Status)
		}
	})

	t.Run("drop one", func(t *testing.T) {
		ctx, _ := s.tab(t, desktop)
		var drop dropResult
		var text string
		var titles []string
		run(t, ctx, chromedp.Navigate(s.url+"/"), waitReady(),
			act(dropFile("aws-auth.yaml", string(sample), &drop)),
			editorText(&text), docTitles(&titles))
		if !drop.Over || drop.Left || drop.Dropped || drop.Reached {
			t.Errorf("the editor should be highlighted while a file is over it only, and keep the file from CodeMirror: %+v", drop)
		}
		if text != string(sample) {
			t.Errorf("one file goes in as it is; the editor holds:\n%s", text)
		}
		if len(titles) != 1 || titles[0] == "aws-auth.yaml" {
			t.Errorf("one file has no header, so its document keeps its own title: %q", titles)
		}
	})

	t.Run("drop text", func(t *testing.T) {
		ctx, _ := s.tab(t, desktop)
		var highlighted bool
		var text string
		run(t, ctx, chromedp.Navigate(s.url+"/"), waitReady(),
			act(chromedp.Evaluate(js(`
const content = editorRoot().querySelector(".cm-content");
const box = content.getBoundingClientRect();
const data = new DataTransfer();
data.setData("text/plain", "error: You must be logged in to the server (Unauthorized)");
const init = { dataTransfer: data, bubbles: true, cancelable: true, composed: true, clientX: box.left + 20, clientY: box.top + 10 };
content.dispatchEvent(new DragEvent("dragover", init));
const highlighted = $("editor").classList.contains("drop-target");
content.dispatchEvent(new DragEvent("drop", init));
return highlighted;`), &highlighted, awaitPromise)),
			editorText(&text))
		if highlighted || text != "error: You must be logged in to the server (Unauthorized)" {
			t.Errorf("dragged text is the editor's to drop, without the files' highlight (highlighted %v); the editor holds %q", highlighted, text)
		}
	})

	t.Run("refused", func(t *testing.T) {
		ctx, _ := s.tab(t, desktop)
		run(t, ctx, chromedp.Navigate(s.url+"/"), waitReady(), paste(unauthorized))
		for _, c := range []struct {
			files []string
			want  string
		}{
			{[]string{write("photo<b>.png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))}, "photo<b>.png holds binary data, not text."},
			{[]string{write("latin1.txt", []byte("caf\xe9\n"))}, "latin1.txt is not UTF-8 text"},
			{[]string{write("huge.log", []byte(strings.Repeat("a", 5<<20+1)))}, "huge.log is 5.0 MiB; eksdoctor analyses at most 5 MiB."},
			{[]string{write("half1.log", []byte(strings.Repeat("a", 3<<20))), write("half2.log", []byte(strings.Repeat("a", 3<<20)))},
				"Together the files are 6.0 MiB; eksdoctor analyses at most 5 MiB."},
		} {
			var status, text string
			var isError bool
			run(t, ctx,
				chromedp.SetUploadFiles("#file-input", c.files, chromedp.ByQuery),
				chromedp.Poll(`document.getElementById("status").textContent.includes(`+jsString(c.want)+`)`, nil,
					chromedp.WithPollingTimeout(10*time.Second)),
				chromedp.Evaluate(`document.getElementById("status").classList.contains("error")`, &isError),
				chromedp.Text("#status", &status, chromedp.ByID),
				editorText(&text))
			if !isError || text != unauthorized {
				t.Errorf("%s: the status %q should be an error and the editor keep its text, not %q", c.want, status, text)
			}
		}
	})
}

// chooseFiles clicks the button selector, which must open a file chooser,
// and chooses files in it.
func chooseFiles(selector string, files []string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		opened := make(chan cdp.BackendNodeID, 1)
		listen, stop := context.WithCancel(ctx)
		defer stop()
		chromedp.ListenTarget(listen, func(ev any) {
			if e, ok := ev.(*page.EventFileChooserOpened); ok {
				select {
				case opened <- e.BackendNodeID:
				default:
				}
			}
		})
		if err := chromedp.Run(ctx, page.SetInterceptFileChooserDialog(true), click(selector)); err != nil {
			return err
		}
		select {
		case input := <-opened:
			return dom.SetFileInputFiles(files).WithBackendNodeID(input).Do(ctx)
		case <-time.After(10 * time.Second):
			return fmt.Errorf("%s opened no file chooser", selector)
		}
	})
}

// dropResult is what dropFile saw: whether the editor was highlighted
// while the file was over it, after it left, and after the drop, and
// whether the drop reached CodeMirror.
type dropResult struct {
	Over    bool `json:"over"`
	Left    bool `json:"left"`
	Dropped bool `json:"dropped"`
	Reached bool `json:"reached"`
}

// dropFile drags a file named name holding text over the editor, out and
// back, and drops it there, as a person would from a file manager.
func dropFile(name, text string, r *dropResult) chromedp.Action {
	return chromedp.Evaluate(js(`
const content = editorRoot().querySelector(".cm-content");
const box = content.getBoundingClientRect();
const data = new DataTransfer();
data.items.add(new File([`+jsString(text)+`], `+jsString(name)+`));
const drag = (type) => content.dispatchEvent(new DragEvent(type,
  { dataTransfer: data, bubbles: true, cancelable: true, composed: true, clientX: box.left + 20, clientY: box.top + 10 }));
const highlighted = () => $("editor").classList.contains("drop-target");
let reached = false;
content.addEventListener("drop", () => { reached = true; });
drag("dragenter"); drag("dragover");
const over = highlighted();
drag("dragleave");
const left = highlighted();
drag("dragenter"); drag("dragover"); drag("drop");
return { over, left, dropped: highlighted(), reached };`), r, awaitPromise)
}

// editorText reads the text the editor shows, line by line.
func editorText(s *string) chromedp.Action {
	return chromedp.Evaluate(js(`return [...editorRoot().querySelectorAll(".cm-line")].map((l) => l.textContent).join("\n");`), s, awaitPromise)
}

// docTitles reads the titles of the documents the findings list.
func docTitles(titles *[]string) chromedp.Action {
	return chromedp.Evaluate(`[...document.querySelectorAll("#findings .doc-title")].map((e) => e.textContent)`, titles)
}
