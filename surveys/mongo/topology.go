package mongo

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// ReplicaSet returns the name of the replica set the database belongs to,
// or "" for a single server (and for the embedded one). The "hello"
// command is answered by MongoDB and FerretDB alike.
func (d *DB) ReplicaSet(ctx context.Context) (string, error) {
	var hello struct {
		SetName string `bson:"setName"`
	}
	if err := d.client.Database("admin").RunCommand(ctx, bson.D{{Key: "hello", Value: 1}}).Decode(&hello); err != nil {
		return "", fmt.Errorf("ask the database whether it is a replica set: %w", err)
	}
	return hello.SetName, nil
}
