package main

import (
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"
)

func probeCmd(e env) *cobra.Command {
	var ready bool
	c := &cobra.Command{
		Use:   "probe",
		Short: "Ask the local service's /livez (or /readyz) and exit 1 unless it answers 200: the image's health check",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			addr := e.getenv("RMA_ADDR")
			if addr == "" {
				addr = ":8080"
			}
			_, port, err := net.SplitHostPort(addr)
			if err != nil {
				return fmt.Errorf("RMA_ADDR: %w", err)
			}
			path := "/livez"
			if ready {
				path = "/readyz"
			}
			client := &http.Client{Timeout: 5 * time.Second}
			res, err := client.Get("http://" + net.JoinHostPort("127.0.0.1", port) + path)
			if err != nil {
				return err
			}
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				return fmt.Errorf("%s answered %s", path, res.Status)
			}
			fmt.Fprintf(e.stdout, "%s ok\n", path)
			return nil
		},
	}
	c.Flags().BoolVar(&ready, "ready", false, "ask /readyz (the database answers) instead of /livez")
	return c
}
