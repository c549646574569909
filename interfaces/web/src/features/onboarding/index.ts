export { ServicesForm } from "./components/services-form";
export { regionName } from "./regions";
