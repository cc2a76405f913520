package main

import "rma/internal/fault"

func reasonOf(err error) string {
	if fe, ok := fault.As(err); ok {
		return fe.Reason
	}
	return err.Error()
}

func fieldsOf(err error) map[string]string {
	if fe, ok := fault.As(err); ok {
		return fe.Fields
	}
	return nil
}
