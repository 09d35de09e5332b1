package rooms

import (
	"os"
	"testing"

	"github.com/heard-app/heard/surveys/mongo/mongotest"
)

func TestMain(m *testing.M) { os.Exit(mongotest.Main(m)) }
