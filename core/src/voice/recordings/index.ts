// Call recordings: the consent announcement, recording to encrypted files, playing them back as
// WAV for the roles allowed, deletion (by hand, with the contact, after the retention period).
export {
  createRecordingsService,
  RECORDING_RETENTION_JOB,
  type RecordingsService,
  type RecordingsSettings,
  type RecordingView,
  type RecordingSession,
} from './recordings-service.js'
export { recordingsRoutes } from './recordings-routes.js'
export { readRecordingFile, RecordingFileWriter, RECORDING_FORMAT, splitChannels } from './recording-file.js'
export { mulawToLinear, wavHeader } from './wav.js'
