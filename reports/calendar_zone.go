package reports

import (
	"fmt"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/werkstatt/werkstatt/domain"
)

// timezone adds the VTIMEZONE of the calendar's zone: its observances from the start of the
// first year of days to the end of the last (the year of Now without days), read from the Go
// time zone database, so a client need not know the TZID to place the times.
func (c *calendar) timezone(days []domain.Day) {
	first, last := c.o.Now.In(c.loc).Year(), c.o.Now.In(c.loc).Year()
	for i, d := range days {
		t, err := time.Parse(time.DateOnly, string(d))
		if err != nil {
			continue
		}
		if i == 0 || t.Year() < first {
			first = t.Year()
		}
		if i == 0 || t.Year() > last {
			last = t.Year()
		}
	}
	tz := ics.NewTimezone(c.tzid)
	// Before the events: clients that read in one pass know the zone when they meet its TZID.
	c.cal.Components = append([]ics.Component{tz}, c.cal.Components...)
	at := time.Date(first, time.January, 1, 0, 0, 0, 0, c.loc)
	end := time.Date(last+1, time.January, 1, 0, 0, 0, 0, c.loc)
	name, offset := at.Zone()
	observe(tz, at.IsDST(), at.Add(time.Duration(offset)*time.Second), offset, offset, name)
	for {
		_, next := at.ZoneBounds()
		if next.IsZero() || !next.Before(end) {
			return
		}
		_, from := at.Zone()
		name, to := next.Zone()
		// An observance starts at the local time of the offset in effect before it.
		observe(tz, next.IsDST(), next.UTC().Add(time.Duration(from)*time.Second), from, to, name)
		at = next
	}
}

func observe(tz *ics.VTimezone, dst bool, local time.Time, from, to int, name string) {
	var o *ics.ComponentBase
	if dst {
		d := &ics.Daylight{}
		tz.Components = append(tz.Components, d)
		o = &d.ComponentBase
	} else {
		s := &ics.Standard{}
		tz.Components = append(tz.Components, s)
		o = &s.ComponentBase
	}
	o.SetProperty(ics.ComponentPropertyDtStart, local.UTC().Format("20060102T150405"))
	o.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom), utcOffset(from))
	o.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetto), utcOffset(to))
	o.SetProperty(ics.ComponentProperty(ics.PropertyTzname), line(name))
}

// utcOffset writes seconds east of UTC as RFC 5545 does: +0100, -0330.
func utcOffset(seconds int) string {
	sign := '+'
	if seconds < 0 {
		sign, seconds = '-', -seconds
	}
	s := fmt.Sprintf("%c%02d%02d", sign, seconds/3600, seconds/60%60)
	if seconds%60 != 0 {
		s += fmt.Sprintf("%02d", seconds%60)
	}
	return s
}
