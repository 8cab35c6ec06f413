export {
  acknowledgeIncident,
  addIncidentNote,
  appendIncidentEvent,
  type IncidentEventInput,
  type IncidentInput,
  incidentForAlert,
  openIncident,
  resolveIncident,
} from "./incidents.ts";
