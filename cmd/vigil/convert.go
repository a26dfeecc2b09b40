package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// newConvertCmd is replaced by the ingest work (issue 3).
func newConvertCmd() *cobra.Command {
	return &cobra.Command{
		Use:    "convert FILE...",
		Short:  "Convert Windows telemetry to ECS NDJSON",
		Hidden: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return errors.New("convert: not implemented yet")
		},
	}
}
