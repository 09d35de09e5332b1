package mongo

import (
	mongodriver "go.mongodb.org/mongo-driver/v2/mongo"
)

// RawCollection gives tests the driver's handle on a collection, to store
// and read documents of any shape.
func RawCollection(d *DB, name string) *mongodriver.Collection { return d.col(name) }
