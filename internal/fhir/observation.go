package fhir

import (
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// Kind is one of the vital signs this package builds.
type Kind int

// The kinds: heart rate, oxygen saturation (SpO2), blood pressure panel.
const (
	KindHeartRate Kind = iota + 1
	KindOxygenSaturation
	KindBloodPressure
)

func (k Kind) String() string {
	switch k {
	case KindHeartRate:
		return "heart-rate"
	case KindOxygenSaturation:
		return "spo2"
	case KindBloodPressure:
		return "blood-pressure"
	}
	return "unknown"
}

// ParseKind accepts the names String returns (and short aliases).
func ParseKind(s string) (Kind, error) {
	switch s {
	case "heart-rate", "hr":
		return KindHeartRate, nil
	case "spo2", "oxygen-saturation":
		return KindOxygenSaturation, nil
	case "blood-pressure", "bp":
		return KindBloodPressure, nil
	}
	return 0, fmt.Errorf("fhir: unknown observation kind %q: use heart-rate, spo2 or blood-pressure", s)
}

// HeartRateSource says which sensor measured a heart rate; it selects the
// MDC code (a pulse oximeter reports a pulse rate, an ECG a heart rate).
type HeartRateSource int

// The heart-rate sources.
const (
	PulseOximeter HeartRateSource = iota
	ECG
)

// Context is what every observation of a device carries besides its value.
type Context struct {
	// Patient is the FHIR id of the subject (the patient's account address).
	Patient string
	// DeviceID is the registered device id.
	DeviceID string
	// Sequence is the device's record sequence number; with DeviceID it
	// identifies the observation.
	Sequence uint64
	// Effective is when the reading was taken.
	Effective time.Time
}

// fhirID is FHIR R4's id syntax; a Patient reference is Patient/<id>.
var fhirID = regexp.MustCompile(`^[A-Za-z0-9\-.]{1,64}$`)

func (c Context) check() error {
	if !fhirID.MatchString(c.Patient) {
		return fmt.Errorf("fhir: patient id %q is not a FHIR id (1-64 of A-Z a-z 0-9 - .)", c.Patient)
	}
	if c.DeviceID == "" || len(c.DeviceID) > 128 {
		return fmt.Errorf("fhir: device id must be 1-128 bytes")
	}
	if c.Effective.IsZero() || c.Effective.Year() < 1900 || c.Effective.Year() > 9999 {
		return fmt.Errorf("fhir: effective time %v is out of range", c.Effective)
	}
	return nil
}

// EffectiveDateTime is the FHIR dateTime of t: UTC, millisecond precision.
// Devices truncate their reading time to the millisecond so that the
// envelope's effective time and the resource's agree exactly.
func EffectiveDateTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z07:00")
}

func (c Context) base(profile string, code CodeableConcept) *Observation {
	return &Observation{
		ResourceType: ResourceType,
		Meta:         &ResourceMeta{Profile: []string{profile}},
		Identifier: []Identifier{{
			System: SystemObservation,
			Value:  c.DeviceID + "/" + strconv.FormatUint(c.Sequence, 10),
		}},
		Status:            "final",
		Category:          vitalSigns(),
		Code:              code,
		Subject:           Reference{Reference: "Patient/" + c.Patient},
		EffectiveDateTime: EffectiveDateTime(c.Effective),
		Device:            &Reference{Identifier: &Identifier{System: SystemDevice, Value: c.DeviceID}},
	}
}

// Plausible ranges: a device reporting outside them is broken, and a
// simulator must not invent such readings.
const (
	minHeartRate, maxHeartRate = 20, 300
	minSpO2, maxSpO2           = 50, 100
	minPressure, maxPressure   = 20, 300
)

// HeartRate is a heart rate in beats per minute (LOINC 8867-4).
func HeartRate(c Context, bpm int, src HeartRateSource) (*Observation, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	if bpm < minHeartRate || bpm > maxHeartRate {
		return nil, fmt.Errorf("fhir: heart rate %d/min outside %d-%d", bpm, minHeartRate, maxHeartRate)
	}
	m := mdc(MDCPulsOximPulsRate, "MDC_PULS_OXIM_PULS_RATE")
	if src == ECG {
		m = mdc(MDCECGHeartRate, "MDC_ECG_HEART_RATE")
	}
	o := c.base(ProfileHeartRate, CodeableConcept{
		Coding: []Coding{loinc(LOINCHeartRate, "Heart rate"), m},
		Text:   "Heart rate",
	})
	o.ValueQuantity = quantity(int64(bpm), "beats/minute", UCUMPerMinute)
	return o, nil
}

// OxygenSaturation is SpO2 in percent from a pulse oximeter (LOINC 2708-6,
// which the vital-signs profile requires, and 59408-5, its pulse-oximetry
// specialization).
func OxygenSaturation(c Context, percent int) (*Observation, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	if percent < minSpO2 || percent > maxSpO2 {
		return nil, fmt.Errorf("fhir: SpO2 %d%% outside %d-%d", percent, minSpO2, maxSpO2)
	}
	o := c.base(ProfileOxygenSat, CodeableConcept{
		Coding: []Coding{
			loinc(LOINCOxygenSat, "Oxygen saturation in Arterial blood"),
			loinc(LOINCOxygenSatPulseO, "Oxygen saturation in Arterial blood by Pulse oximetry"),
			mdc(MDCPulsOximSatO2, "MDC_PULS_OXIM_SAT_O2"),
		},
		Text: "SpO2",
	})
	o.ValueQuantity = quantity(int64(percent), "%", UCUMPercent)
	return o, nil
}

// BloodPressure is a non-invasive blood pressure panel (LOINC 85354-9) with
// systolic (8480-6) and diastolic (8462-4) components in mm[Hg].
func BloodPressure(c Context, systolic, diastolic int) (*Observation, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	for _, v := range []int{systolic, diastolic} {
		if v < minPressure || v > maxPressure {
			return nil, fmt.Errorf("fhir: blood pressure %d mm[Hg] outside %d-%d", v, minPressure, maxPressure)
		}
	}
	if diastolic >= systolic {
		return nil, fmt.Errorf("fhir: diastolic %d must be below systolic %d", diastolic, systolic)
	}
	o := c.base(ProfileBloodPressure, CodeableConcept{
		Coding: []Coding{
			loinc(LOINCBPPanel, "Blood pressure panel with all children optional"),
			mdc(MDCPressBldNonInv, "MDC_PRESS_BLD_NONINV"),
		},
		Text: "Blood pressure",
	})
	o.Component = []Component{
		{
			Code: CodeableConcept{Coding: []Coding{
				loinc(LOINCSystolic, "Systolic blood pressure"),
				mdc(MDCPressBldNonInvSy, "MDC_PRESS_BLD_NONINV_SYS"),
			}},
			ValueQuantity: quantity(int64(systolic), "mmHg", UCUMmmHg),
		},
		{
			Code: CodeableConcept{Coding: []Coding{
				loinc(LOINCDiastolic, "Diastolic blood pressure"),
				mdc(MDCPressBldNonInvDi, "MDC_PRESS_BLD_NONINV_DIA"),
			}},
			ValueQuantity: quantity(int64(diastolic), "mmHg", UCUMmmHg),
		},
	}
	return o, nil
}
