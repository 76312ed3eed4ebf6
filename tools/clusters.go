package tools

func clustersTools() []Spec { return nil }
