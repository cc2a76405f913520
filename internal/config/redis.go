package config

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"
)

// loadRedis reads RMA_REDIS_URL, or its shorthand RMA_REDIS_ADDR
// (host:port, database 0, no password), and RMA_REDIS_CLUSTER.
func (c *Config) loadRedis(str func(name, def string) string, bad func(name, format string, a ...any)) {
	raw, addr := str("RMA_REDIS_URL", ""), str("RMA_REDIS_ADDR", "")
	if v := str("RMA_REDIS_CLUSTER", ""); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			bad("RMA_REDIS_CLUSTER", "must be true or false, got %q", v)
		}
		c.RedisCluster = b
	}
	switch {
	case raw != "" && addr != "":
		bad("RMA_REDIS_ADDR", "give RMA_REDIS_URL or RMA_REDIS_ADDR, not both")
		return
	case addr != "":
		if _, _, err := net.SplitHostPort(addr); err != nil {
			bad("RMA_REDIS_ADDR", "must be host:port, got %q", addr)
			return
		}
		raw, c.RedisVar = "redis://"+addr, "RMA_REDIS_ADDR"
	case raw == "":
		return
	}
	first, err := RedisFirstAddr(raw, c.RedisCluster)
	if err != nil {
		bad("RMA_REDIS_URL", "must look like redis://user:password@host:6379/0 or rediss://… (%v)", err)
		return
	}
	c.RedisURL, c.RedisAddr = raw, first
	if c.RedisVar == "" {
		c.RedisVar = "RMA_REDIS_URL"
	}
}

// RedisClient returns a client of the Redis the URL names: one server
// (redis:// or rediss://, with user, password and database number) or, when
// cluster is set, a Redis Cluster reached through the URL's host and its
// addr=host:port parameters.
func RedisClient(raw string, cluster bool) (redis.UniversalClient, error) {
	if cluster {
		o, err := redis.ParseClusterURL(raw)
		if err != nil {
			return nil, err
		}
		return redis.NewClusterClient(o), nil
	}
	o, err := redis.ParseURL(raw)
	if err != nil {
		return nil, err
	}
	return redis.NewClient(o), nil
}

// RedisFirstAddr returns the host:port of the (first) server a Redis URL
// names.
func RedisFirstAddr(raw string, cluster bool) (string, error) {
	if !strings.HasPrefix(raw, "redis://") && !strings.HasPrefix(raw, "rediss://") {
		return "", fmt.Errorf("the scheme must be redis or rediss")
	}
	if cluster {
		if u, err := url.Parse(raw); err == nil && strings.Trim(u.Path, "/") != "" {
			return "", fmt.Errorf("a Redis Cluster has no database number")
		}
		o, err := redis.ParseClusterURL(raw)
		if err != nil {
			return "", err
		}
		return o.Addrs[0], nil
	}
	o, err := redis.ParseURL(raw)
	if err != nil {
		return "", err
	}
	return o.Addr, nil
}
