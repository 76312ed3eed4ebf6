package compute

import "encoding/json"

// Library is one library to put on a cluster or a job task. Exactly one of
// its members is set: a file (jar, whl, egg, requirements) or a package from
// a repository (pypi, maven, cran).
type Library struct {
	Cran         *RCranLibrary      `json:"cran,omitzero" doc:"An R package from CRAN or another CRAN-like repository."`
	Egg          *string            `json:"egg,omitzero" doc:"Deprecated: URI of a Python egg. Not supported from Databricks Runtime 14.0; use whl or pypi."`
	Jar          *string            `json:"jar,omitzero" doc:"URI of a JAR: a Workspace path (/Workspace/...), a Unity Catalog volume path (/Volumes/...) or cloud storage (s3://, abfss://, gs://) the cluster can read."`
	Maven        *MavenLibrary      `json:"maven,omitzero" doc:"A Java/Scala package from Maven Central, Spark Packages or another Maven repository."`
	Pypi         *PythonPyPiLibrary `json:"pypi,omitzero" doc:"A Python package from PyPI or another pip index."`
	Requirements *string            `json:"requirements,omitzero" doc:"Path of a requirements.txt file to pip-install: a Workspace path (/Workspace/...) or a Unity Catalog volume path (/Volumes/...)."`
	Whl          *string            `json:"whl,omitzero" doc:"URI of a Python wheel: a Workspace path (/Workspace/...), a Unity Catalog volume path (/Volumes/...) or cloud storage (s3://, abfss://, gs://) the cluster can read."`

	Extra map[string]json.RawMessage `json:"-"`
}

// PythonPyPiLibrary is a Python package to pip-install.
type PythonPyPiLibrary struct {
	Package string  `json:"package" doc:"Package name, optionally with an exact version: simplejson or simplejson==3.8.0."`
	Repo    *string `json:"repo,omitzero" doc:"URL of the pip index to install from; omitted, the default index (PyPI) is used."`

	Extra map[string]json.RawMessage `json:"-"`
}

// MavenLibrary is a JVM package resolved from Maven coordinates, with its
// transitive dependencies.
type MavenLibrary struct {
	Coordinates string   `json:"coordinates" doc:"Gradle-style coordinates group:artifact:version, e.g. org.jsoup:jsoup:1.7.2."`
	Exclusions  []string `json:"exclusions,omitzero" doc:"Dependencies not to pull in, as group:artifact, e.g. slf4j:slf4j or *:hadoop-client."`
	Repo        *string  `json:"repo,omitzero" doc:"URL of the Maven repository to resolve from; omitted, Maven Central and Spark Packages are searched."`

	Extra map[string]json.RawMessage `json:"-"`
}

// RCranLibrary is an R package to install.
type RCranLibrary struct {
	Package string  `json:"package" doc:"Name of the R package."`
	Repo    *string `json:"repo,omitzero" doc:"URL of the CRAN-like repository to install from; omitted, the default CRAN mirror is used."`

	Extra map[string]json.RawMessage `json:"-"`
}
