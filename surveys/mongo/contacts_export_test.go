package mongo

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// StoredContact reads a request to talk's document as the driver returns
// it, byte for byte.
func StoredContact(ctx context.Context, d *DB, id string) (bson.Raw, error) {
	return d.col(colContacts).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Raw()
}
