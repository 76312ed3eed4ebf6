package tools

func secretsTools() []Spec { return nil }
