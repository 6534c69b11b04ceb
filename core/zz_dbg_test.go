package core
import ("testing";"os";"fmt";"golang.org/x/tools/txtar")
func TestDbg(t *testing.T){
 b,_:=os.ReadFile(os.Getenv("CASE"))
 in := section(txtar.Parse(b), "input")
 if in == "" { in = string(b) }
 for _, opt := range []Options{{}} {
 rep:=Analyze(in,opt)
 for _,d:=range rep.Documents { fmt.Printf("doc %d %s %q %d-%d\n", d.Index,d.Kind,d.Title,d.StartLine,d.EndLine)}
 for _,f:=range rep.Findings { fmt.Printf("%d:%d %s %s %.200s\n", f.Line,f.Column,f.Severity,f.Rule,f.Message)}
 for _,c:=range rep.Causes { fmt.Printf("cause %s: %.150s\n", rep.Findings[c.Finding].Rule, c.Because)}
 fmt.Println("recognised", rep.Recognised, "----")
 }
}
