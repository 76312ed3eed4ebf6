package emulator

import "testing"

// notebookExists is what the Jobs API asks of the tree: notebooks only.
func TestNotebookExists(t *testing.T) {
	e := New(Options{})
	if err := e.wsPut("/Shared/nb", "NOTEBOOK", "PYTHON", []byte("1"), false); err != nil {
		t.Fatal(err)
	}
	if err := e.wsPut("/Shared/f.py", "FILE", "", []byte("1"), false); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]bool{
		"/Shared/nb": true, "/Workspace/Shared/nb": true, "/Shared/f.py": false,
		"/Shared": false, "/Shared/none": false, "Shared/nb": false,
	} {
		if got := e.notebookExists(p); got != want {
			t.Errorf("notebookExists(%q) = %v, want %v", p, got, want)
		}
	}
}
