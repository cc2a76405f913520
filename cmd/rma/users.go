package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"rma/internal/account"
	"rma/internal/app"
	"rma/internal/fault"
)

func usersCmd(e env) *cobra.Command {
	c := &cobra.Command{
		Use:   "users",
		Short: "Create, suspend, reactivate users and reset their passwords",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	c.AddCommand(usersAddCmd(e), usersStandingCmd(e, "suspend", account.Suspended), usersStandingCmd(e, "activate", account.Active),
		usersResetCmd(e))
	return c
}

func usersAddCmd(e env) *cobra.Command {
	var in account.NewUser
	var role string
	c := &cobra.Command{
		Use:     "add --email E --role R [--center C] [--name N] [--language L]",
		Short:   "Create a user (the way to make the first admin); the password is read from stdin",
		Example: `  echo 'a-strong-password' | rma users add --email admin@example.com --role admin`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			password, err := readPassword(e.stdin)
			if err != nil {
				return err
			}
			in.Role, in.Password = account.Role(role), password
			if in.Name == "" {
				in.Name = in.Email
			}
			return withAccounts(cmd.Context(), e, func(a *app.App) error {
				u, err := a.Accounts.Create(cmd.Context(), in)
				if err != nil {
					return describe(a, err)
				}
				fmt.Fprintf(e.stdout, "created %s %s (%s)\n", u.Role, u.Email, u.ID)
				return nil
			})
		},
	}
	f := c.Flags()
	f.StringVar(&in.Email, "email", "", "e-mail address (required)")
	f.StringVar(&role, "role", "", "buyer, rep, technician or admin (required)")
	f.StringVar(&in.CenterCode, "center", "", "service center code (technicians)")
	f.StringVar(&in.Name, "name", "", "display name (defaults to the e-mail)")
	f.StringVar(&in.Language, "language", "en", "en, ru or es")
	_ = c.MarkFlagRequired("email")
	_ = c.MarkFlagRequired("role")
	return c
}

func usersStandingCmd(e env, verb string, st account.Status) *cobra.Command {
	short := "Suspend a user: their sessions and API tokens stop working at once"
	if st == account.Active {
		short = "Reactivate a suspended user (they sign in again; old tokens stay revoked)"
	}
	return &cobra.Command{
		Use:   verb + " EMAIL",
		Short: short,
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withAccounts(cmd.Context(), e, func(a *app.App) error {
				set := a.Accounts.Suspend
				if st == account.Active {
					set = a.Accounts.Activate
				}
				u, err := set(cmd.Context(), args[0])
				if err != nil {
					return describe(a, err)
				}
				a.Logger.Info("account standing changed", "log", "audit", "by", "command line", "user", u.ID,
					"status", string(st))
				fmt.Fprintf(e.stdout, "%s is now %s\n", u.Email, st)
				return nil
			})
		},
	}
}

func usersResetCmd(e env) *cobra.Command {
	return &cobra.Command{
		Use:     "reset-password EMAIL",
		Short:   "Set a user's password from stdin; every session and token of theirs is revoked",
		Example: `  echo 'a-new-strong-password' | rma users reset-password buyer@example.com`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			password, err := readPassword(e.stdin)
			if err != nil {
				return err
			}
			return withAccounts(cmd.Context(), e, func(a *app.App) error {
				u, err := a.Accounts.SetPassword(cmd.Context(), args[0], password)
				if err != nil {
					return describe(a, err)
				}
				a.Logger.Info("password reset", "log", "audit", "by", "command line", "user", u.ID)
				fmt.Fprintf(e.stdout, "password of %s replaced; their sessions and tokens are revoked\n", u.Email)
				return nil
			})
		},
	}
}

// withAccounts opens the database and the domain services (no Redis) for
// fn.
func withAccounts(ctx context.Context, e env, fn func(a *app.App) error) error {
	cfg, logger, err := e.load()
	if err != nil {
		return err
	}
	a, err := app.OpenCore(ctx, cfg, app.Options{Logger: logger})
	if err != nil {
		return err
	}
	defer a.Close()
	return fn(a)
}

// readPassword reads one line from stdin.
func readPassword(stdin io.Reader) (string, error) {
	password, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password from stdin: %w", err)
	}
	password = strings.TrimRight(password, "\r\n")
	if password == "" {
		return "", errors.New("no password on stdin")
	}
	return password, nil
}

// describe spells out a validation error for the terminal.
func describe(a *app.App, err error) error {
	fe, ok := fault.As(err)
	if !ok {
		return err
	}
	msg := a.Catalog.T("en", fe.Reason, nil)
	for f, reason := range fe.Fields {
		msg += fmt.Sprintf("\n  %s: %s", f, a.Catalog.T("en", reason, nil))
	}
	return errors.New(msg)
}

// oneLine joins a help text written over several lines into paragraphs
// cobra wraps itself.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
