// Package follow sends a running MADE session's state to the browsers
// that follow it (phones, the projector, the facilitator's console):
// server-sent events where they get through, and long polling where they
// do not (an old browser, or a proxy that holds a stream back). Both send
// the state as it is first, then again each time it changes, at most
// every Every, so that a room of 200 phones voting at once is sent a few
// states a second, not hundreds.
package follow

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/surveys/rooms"
)

const (
	// Every is the shortest time between two states sent to a screen
	// that shows results (the projector, the console).
	Every = 150 * time.Millisecond
	// PhoneEvery is the shortest time between two states sent to a phone:
	// a phone needs to know soon that the activity changed, not every vote.
	PhoneEvery = 400 * time.Millisecond
	// Retry is how long a browser waits before following again after a
	// stream ends.
	Retry = 100 * time.Millisecond
	// ShutdownRetry is how long a browser is told to wait when its stream
	// ends because this server is stopping: time for a restart, or for the
	// load balancer to see that it is gone, rather than a reconnection at
	// once to a server that refuses it.
	ShutdownRetry = 2 * time.Second
	// Lifetime is how long one stream lasts. The server's write timeout
	// would cut it later anyway; the browser connects again at once (the
	// retry field) and is sent the state then.
	Lifetime = 45 * time.Second
	// ping keeps proxies from closing a quiet stream.
	ping = 15 * time.Second
	// Wait is how long a long poll waits for a change.
	Wait = 25 * time.Second
)

// Render makes what is sent of a room's state: its seq and its data, one
// JSON value. The seq goes as the event's id (and a long poll's Heard-Seq
// header), not in the data, so that a state whose data did not change is
// not sent again.
type Render func(room *rooms.Room) (seq int, data []byte, err error)

// Stream sends a room's states as server-sent events named "state", at
// most one every every, and only those whose data differs from the last
// sent.
func Stream(c fiber.Ctx, room *rooms.Room, every time.Duration, draw Render, log *slog.Logger) error {
	c.Set(fiber.HeaderContentType, "text/event-stream")
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set("X-Accel-Buffering", "no") // nginx: pass each event on at once
	changed, stop := room.Subscribe()
	// Closed when the server shuts down: a stream then ends at once (the
	// browser follows on elsewhere), rather than hold the shutdown up for
	// its Lifetime. Taken now: c is not the handler's after it returns.
	shutdown := c.RequestCtx().Done()
	return c.SendStreamWriter(func(w *bufio.Writer) {
		defer stop()
		end := time.NewTimer(Lifetime)
		defer end.Stop()
		pings := time.NewTicker(ping)
		defer pings.Stop()
		// A browser whose stream ends connects again after the retry: soon,
		// so that a projector is not left behind.
		fmt.Fprintf(w, "retry: %d\n\n", Retry.Milliseconds())
		last := -1
		var sent []byte
		for {
			if seq := room.Seq(); seq != last {
				var data []byte
				var err error
				if last, data, err = draw(room); err != nil {
					log.Error("live session: render a state", "err", err)
					return
				}
				if !bytes.Equal(data, sent) {
					writeEvent(w, strconv.Itoa(last), data)
					sent = data
				}
			}
			if w.Flush() != nil {
				return // the browser went away
			}
			time.Sleep(every)
			select {
			case <-changed:
			case <-pings.C:
				fmt.Fprintf(w, ": ping\n\n")
			case <-end.C:
				return
			case <-shutdown:
				sayReconnect(w)
				return
			}
		}
	})
}

// sayReconnect ends a stream of a server that is stopping: a longer retry,
// and an event that names why, so that a page can say it is reconnecting
// rather than show an error.
func sayReconnect(w *bufio.Writer) {
	fmt.Fprintf(w, "retry: %d\nevent: reconnect\ndata: {}\n\n", ShutdownRetry.Milliseconds())
	_ = w.Flush()
}

// writeEvent writes one event; each line of data goes on a "data:" line
// of its own, as the format asks.
func writeEvent(w *bufio.Writer, id string, data []byte) {
	fmt.Fprintf(w, "event: state\nid: %s\n", id)
	for line := range bytes.SplitSeq(data, []byte("\n")) {
		w.WriteString("data: ")
		w.Write(line)
		w.WriteByte('\n')
	}
	w.WriteByte('\n')
}

// Poll answers once the room's state is past ?after, or after Wait with
// the state as it is.
func Poll(c fiber.Ctx, room *rooms.Room, draw Render) error {
	after, err := strconv.Atoi(c.Query("after", "-1"))
	if err != nil {
		return fiber.NewError(fiber.StatusBadRequest, "after must be a number")
	}
	ctx, cancel := context.WithTimeout(context.Background(), Wait)
	defer cancel()
	// A server shutting down answers at once rather than hold the
	// shutdown up for Wait.
	if shutdown := c.RequestCtx().Done(); shutdown != nil {
		go func() {
			select {
			case <-shutdown:
				cancel()
			case <-ctx.Done():
			}
		}()
	}
	room.Wait(ctx, after)
	seq, data, err := draw(room)
	if err != nil {
		return err
	}
	c.Set("Heard-Seq", strconv.Itoa(seq))
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(data)
}

// Part is what a stream sends of a page's part that changes: its HTML,
// which the page's script puts in place of the part it shows.
func Part(html []byte) ([]byte, error) {
	return json.Marshal(struct {
		HTML string `json:"html"`
	}{string(html)})
}
