package emulator

// Cloud is the cloud the emulated workspace plays: Azure, whose node
// types, runtime versions and cluster attributes it serves. Clients that
// tailor themselves to a workspace's cloud (the tools' schemas) ask it,
// since a loopback address does not tell.
func (e *Emulator) Cloud() string { return CloudName }

// CloudName is the cloud every Emulator plays, known before one is built.
const CloudName = "azure"
