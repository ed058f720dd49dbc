package fhir

// Code systems.
const (
	SystemLOINC    = "http://loinc.org"
	SystemMDC      = "urn:iso:std:iso:11073:10101" // IEEE 11073-10101 nomenclature
	SystemUCUM     = "http://unitsofmeasure.org"
	SystemCategory = "http://terminology.hl7.org/CodeSystem/observation-category"

	// SystemDevice and SystemObservation are medexchain's identifier
	// namespaces: registered device ids, and device id/sequence pairs.
	SystemDevice      = "urn:medexchain:device"
	SystemObservation = "urn:medexchain:observation"
)

// LOINC codes of the vital signs this package builds.
const (
	LOINCHeartRate       = "8867-4"  // Heart rate
	LOINCOxygenSat       = "2708-6"  // Oxygen saturation in Arterial blood
	LOINCOxygenSatPulseO = "59408-5" // Oxygen saturation in Arterial blood by Pulse oximetry
	LOINCBPPanel         = "85354-9" // Blood pressure panel with all children optional
	LOINCSystolic        = "8480-6"  // Systolic blood pressure
	LOINCDiastolic       = "8462-4"  // Diastolic blood pressure
)

// IEEE 11073-10101 (MDC) codes: partition 2 (SCADA) term codes as the
// 32-bit context-free codes personal health devices report.
const (
	MDCPulsOximPulsRate = "149530" // MDC_PULS_OXIM_PULS_RATE
	MDCECGHeartRate     = "147842" // MDC_ECG_HEART_RATE
	MDCPulsOximSatO2    = "150456" // MDC_PULS_OXIM_SAT_O2
	MDCPressBldNonInv   = "150020" // MDC_PRESS_BLD_NONINV
	MDCPressBldNonInvSy = "150021" // MDC_PRESS_BLD_NONINV_SYS
	MDCPressBldNonInvDi = "150022" // MDC_PRESS_BLD_NONINV_DIA
)

// UCUM unit codes and their human-readable units.
const (
	UCUMPerMinute = "/min"
	UCUMPercent   = "%"
	UCUMmmHg      = "mm[Hg]"
)

// HL7 vital-signs profiles (FHIR R4).
const (
	ProfileHeartRate     = "http://hl7.org/fhir/StructureDefinition/heartrate"
	ProfileOxygenSat     = "http://hl7.org/fhir/StructureDefinition/oxygensat"
	ProfileBloodPressure = "http://hl7.org/fhir/StructureDefinition/bp"
)

// ResourceType is what every resource of this package is.
const ResourceType = "Observation"

func loinc(code, display string) Coding {
	return Coding{System: SystemLOINC, Code: code, Display: display}
}
func mdc(code, display string) Coding { return Coding{System: SystemMDC, Code: code, Display: display} }

func quantity(v int64, unit, code string) *Quantity {
	return &Quantity{Value: DecimalInt(v), Unit: unit, System: SystemUCUM, Code: code}
}

func vitalSigns() []CodeableConcept {
	return []CodeableConcept{{
		Coding: []Coding{{System: SystemCategory, Code: "vital-signs", Display: "Vital Signs"}},
		Text:   "Vital Signs",
	}}
}
