// Temporary stand-in until the config/auth work lands; deleted by that merge.

package client

import "os"

func LoadConfig(explicit Config) (*Config, error) {
	c := explicit
	if c.Host == "" {
		c.Host = os.Getenv("DATABRICKS_HOST")
	}
	if c.Token == "" {
		c.Token = os.Getenv("DATABRICKS_TOKEN")
	}
	return &c, nil
}
