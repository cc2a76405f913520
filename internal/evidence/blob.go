package evidence

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"

	"gocloud.dev/blob"
	"gocloud.dev/blob/fileblob"
	_ "gocloud.dev/blob/s3blob" // s3:// URLs, also for S3-compatible servers
	"gocloud.dev/gcerrors"

	"rma/internal/fault"
)

// Blobs is where attachment bytes live: one small interface, a directory
// on disk or an S3-compatible bucket behind it.
type Blobs interface {
	Put(ctx context.Context, key, contentType string, data []byte) error
	// Get returns fault.ErrNoRecord for a key that holds nothing.
	Get(ctx context.Context, key string) ([]byte, error)
	Delete(ctx context.Context, key string) error
	// List returns every key under prefix: how a claim's files are found
	// when its personal data is erased.
	List(ctx context.Context, prefix string) ([]string, error)
	Close() error
}

// Bucket keeps blobs through gocloud.dev/blob, on whatever its URL names.
type Bucket struct{ b *blob.Bucket }

// OpenDir keeps blobs in a directory, created when missing.
func OpenDir(dir string) (*Bucket, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("blob directory: %w", err)
	}
	b, err := fileblob.OpenBucket(dir, &fileblob.Options{CreateDir: true, NoTempDir: true})
	if err != nil {
		return nil, fmt.Errorf("blob directory: %w", err)
	}
	return &Bucket{b: b}, nil
}

// OpenURL keeps blobs where a gocloud.dev URL says: "s3://bucket?region=…"
// (with endpoint=…&use_path_style=true for S3-compatible servers such as
// MinIO; credentials from the usual AWS variables) or "file:///dir".
func OpenURL(ctx context.Context, rawURL string) (*Bucket, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme == "" {
		return nil, fmt.Errorf("blob URL %q: not a URL", rawURL)
	}
	b, err := blob.OpenBucket(ctx, rawURL)
	if err != nil {
		return nil, fmt.Errorf("blob URL: %w", err)
	}
	return &Bucket{b: b}, nil
}

// Put stores data under key.
func (k *Bucket) Put(ctx context.Context, key, contentType string, data []byte) error {
	if err := k.b.WriteAll(ctx, key, data, &blob.WriterOptions{ContentType: contentType}); err != nil {
		return fmt.Errorf("put blob: %w", err)
	}
	return nil
}

// Get reads the blob under key.
func (k *Bucket) Get(ctx context.Context, key string) ([]byte, error) {
	data, err := k.b.ReadAll(ctx, key)
	if gcerrors.Code(err) == gcerrors.NotFound {
		return nil, fault.ErrNoRecord
	}
	if err != nil {
		return nil, fmt.Errorf("get blob: %w", err)
	}
	return data, nil
}

// Delete removes the blob under key; a missing one is no error.
func (k *Bucket) Delete(ctx context.Context, key string) error {
	if err := k.b.Delete(ctx, key); err != nil && gcerrors.Code(err) != gcerrors.NotFound {
		return fmt.Errorf("delete blob: %w", err)
	}
	return nil
}

// List returns the keys under prefix.
func (k *Bucket) List(ctx context.Context, prefix string) ([]string, error) {
	var keys []string
	it := k.b.List(&blob.ListOptions{Prefix: prefix})
	for {
		obj, err := it.Next(ctx)
		if errors.Is(err, io.EOF) {
			return keys, nil
		}
		if err != nil {
			return nil, fmt.Errorf("list blobs: %w", err)
		}
		keys = append(keys, obj.Key)
	}
}

// Close releases the bucket.
func (k *Bucket) Close() error { return k.b.Close() }
