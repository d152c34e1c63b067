import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { FieldMask as _google_protobuf_FieldMask, FieldMask__Output as _google_protobuf_FieldMask__Output } from './google/protobuf/FieldMask.js';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp.js';
import type { CommandLine as _statevisor_v1_CommandLine, CommandLine__Output as _statevisor_v1_CommandLine__Output } from './statevisor/v1/CommandLine.js';
import type { Counters as _statevisor_v1_Counters, Counters__Output as _statevisor_v1_Counters__Output } from './statevisor/v1/Counters.js';
import type { CreateProcessRequest as _statevisor_v1_CreateProcessRequest, CreateProcessRequest__Output as _statevisor_v1_CreateProcessRequest__Output } from './statevisor/v1/CreateProcessRequest.js';
import type { CreateProcessResponse as _statevisor_v1_CreateProcessResponse, CreateProcessResponse__Output as _statevisor_v1_CreateProcessResponse__Output } from './statevisor/v1/CreateProcessResponse.js';
import type { DeleteProcessRequest as _statevisor_v1_DeleteProcessRequest, DeleteProcessRequest__Output as _statevisor_v1_DeleteProcessRequest__Output } from './statevisor/v1/DeleteProcessRequest.js';
import type { DeleteProcessResponse as _statevisor_v1_DeleteProcessResponse, DeleteProcessResponse__Output as _statevisor_v1_DeleteProcessResponse__Output } from './statevisor/v1/DeleteProcessResponse.js';
import type { DescribeProcessRequest as _statevisor_v1_DescribeProcessRequest, DescribeProcessRequest__Output as _statevisor_v1_DescribeProcessRequest__Output } from './statevisor/v1/DescribeProcessRequest.js';
import type { DescribeProcessResponse as _statevisor_v1_DescribeProcessResponse, DescribeProcessResponse__Output as _statevisor_v1_DescribeProcessResponse__Output } from './statevisor/v1/DescribeProcessResponse.js';
import type { Enforcement as _statevisor_v1_Enforcement, Enforcement__Output as _statevisor_v1_Enforcement__Output } from './statevisor/v1/Enforcement.js';
import type { GetMachineDefinitionRequest as _statevisor_v1_GetMachineDefinitionRequest, GetMachineDefinitionRequest__Output as _statevisor_v1_GetMachineDefinitionRequest__Output } from './statevisor/v1/GetMachineDefinitionRequest.js';
import type { GetMachineDefinitionResponse as _statevisor_v1_GetMachineDefinitionResponse, GetMachineDefinitionResponse__Output as _statevisor_v1_GetMachineDefinitionResponse__Output } from './statevisor/v1/GetMachineDefinitionResponse.js';
import type { GetResourceUsageRequest as _statevisor_v1_GetResourceUsageRequest, GetResourceUsageRequest__Output as _statevisor_v1_GetResourceUsageRequest__Output } from './statevisor/v1/GetResourceUsageRequest.js';
import type { GetResourceUsageResponse as _statevisor_v1_GetResourceUsageResponse, GetResourceUsageResponse__Output as _statevisor_v1_GetResourceUsageResponse__Output } from './statevisor/v1/GetResourceUsageResponse.js';
import type { GetStatusRequest as _statevisor_v1_GetStatusRequest, GetStatusRequest__Output as _statevisor_v1_GetStatusRequest__Output } from './statevisor/v1/GetStatusRequest.js';
import type { GetStatusResponse as _statevisor_v1_GetStatusResponse, GetStatusResponse__Output as _statevisor_v1_GetStatusResponse__Output } from './statevisor/v1/GetStatusResponse.js';
import type { HealthCheckSpec as _statevisor_v1_HealthCheckSpec, HealthCheckSpec__Output as _statevisor_v1_HealthCheckSpec__Output } from './statevisor/v1/HealthCheckSpec.js';
import type { InspectRequest as _statevisor_v1_InspectRequest, InspectRequest__Output as _statevisor_v1_InspectRequest__Output } from './statevisor/v1/InspectRequest.js';
import type { InspectResponse as _statevisor_v1_InspectResponse, InspectResponse__Output as _statevisor_v1_InspectResponse__Output } from './statevisor/v1/InspectResponse.js';
import type { ListProcessesRequest as _statevisor_v1_ListProcessesRequest, ListProcessesRequest__Output as _statevisor_v1_ListProcessesRequest__Output } from './statevisor/v1/ListProcessesRequest.js';
import type { ListProcessesResponse as _statevisor_v1_ListProcessesResponse, ListProcessesResponse__Output as _statevisor_v1_ListProcessesResponse__Output } from './statevisor/v1/ListProcessesResponse.js';
import type { Listener as _statevisor_v1_Listener, Listener__Output as _statevisor_v1_Listener__Output } from './statevisor/v1/Listener.js';
import type { LogsSpec as _statevisor_v1_LogsSpec, LogsSpec__Output as _statevisor_v1_LogsSpec__Output } from './statevisor/v1/LogsSpec.js';
import type { Process as _statevisor_v1_Process, Process__Output as _statevisor_v1_Process__Output } from './statevisor/v1/Process.js';
import type { ProcessEvent as _statevisor_v1_ProcessEvent, ProcessEvent__Output as _statevisor_v1_ProcessEvent__Output } from './statevisor/v1/ProcessEvent.js';
import type { ProcessManagerClient as _statevisor_v1_ProcessManagerClient, ProcessManagerDefinition as _statevisor_v1_ProcessManagerDefinition } from './statevisor/v1/ProcessManager.js';
import type { ProcessSpec as _statevisor_v1_ProcessSpec, ProcessSpec__Output as _statevisor_v1_ProcessSpec__Output } from './statevisor/v1/ProcessSpec.js';
import type { ReloadConfigRequest as _statevisor_v1_ReloadConfigRequest, ReloadConfigRequest__Output as _statevisor_v1_ReloadConfigRequest__Output } from './statevisor/v1/ReloadConfigRequest.js';
import type { ReloadConfigResponse as _statevisor_v1_ReloadConfigResponse, ReloadConfigResponse__Output as _statevisor_v1_ReloadConfigResponse__Output } from './statevisor/v1/ReloadConfigResponse.js';
import type { ResourcesSpec as _statevisor_v1_ResourcesSpec, ResourcesSpec__Output as _statevisor_v1_ResourcesSpec__Output } from './statevisor/v1/ResourcesSpec.js';
import type { RestartProcessRequest as _statevisor_v1_RestartProcessRequest, RestartProcessRequest__Output as _statevisor_v1_RestartProcessRequest__Output } from './statevisor/v1/RestartProcessRequest.js';
import type { RestartProcessResponse as _statevisor_v1_RestartProcessResponse, RestartProcessResponse__Output as _statevisor_v1_RestartProcessResponse__Output } from './statevisor/v1/RestartProcessResponse.js';
import type { RestartSpec as _statevisor_v1_RestartSpec, RestartSpec__Output as _statevisor_v1_RestartSpec__Output } from './statevisor/v1/RestartSpec.js';
import type { RuntimeSpec as _statevisor_v1_RuntimeSpec, RuntimeSpec__Output as _statevisor_v1_RuntimeSpec__Output } from './statevisor/v1/RuntimeSpec.js';
import type { SignalProcessRequest as _statevisor_v1_SignalProcessRequest, SignalProcessRequest__Output as _statevisor_v1_SignalProcessRequest__Output } from './statevisor/v1/SignalProcessRequest.js';
import type { SignalProcessResponse as _statevisor_v1_SignalProcessResponse, SignalProcessResponse__Output as _statevisor_v1_SignalProcessResponse__Output } from './statevisor/v1/SignalProcessResponse.js';
import type { SocketSpec as _statevisor_v1_SocketSpec, SocketSpec__Output as _statevisor_v1_SocketSpec__Output } from './statevisor/v1/SocketSpec.js';
import type { StartProcessRequest as _statevisor_v1_StartProcessRequest, StartProcessRequest__Output as _statevisor_v1_StartProcessRequest__Output } from './statevisor/v1/StartProcessRequest.js';
import type { StartProcessResponse as _statevisor_v1_StartProcessResponse, StartProcessResponse__Output as _statevisor_v1_StartProcessResponse__Output } from './statevisor/v1/StartProcessResponse.js';
import type { StopProcessRequest as _statevisor_v1_StopProcessRequest, StopProcessRequest__Output as _statevisor_v1_StopProcessRequest__Output } from './statevisor/v1/StopProcessRequest.js';
import type { StopProcessResponse as _statevisor_v1_StopProcessResponse, StopProcessResponse__Output as _statevisor_v1_StopProcessResponse__Output } from './statevisor/v1/StopProcessResponse.js';
import type { StopSpec as _statevisor_v1_StopSpec, StopSpec__Output as _statevisor_v1_StopSpec__Output } from './statevisor/v1/StopSpec.js';
import type { StreamLogsRequest as _statevisor_v1_StreamLogsRequest, StreamLogsRequest__Output as _statevisor_v1_StreamLogsRequest__Output } from './statevisor/v1/StreamLogsRequest.js';
import type { StreamLogsResponse as _statevisor_v1_StreamLogsResponse, StreamLogsResponse__Output as _statevisor_v1_StreamLogsResponse__Output } from './statevisor/v1/StreamLogsResponse.js';
import type { Transition as _statevisor_v1_Transition, Transition__Output as _statevisor_v1_Transition__Output } from './statevisor/v1/Transition.js';
import type { UpdateProcessRequest as _statevisor_v1_UpdateProcessRequest, UpdateProcessRequest__Output as _statevisor_v1_UpdateProcessRequest__Output } from './statevisor/v1/UpdateProcessRequest.js';
import type { UpdateProcessResponse as _statevisor_v1_UpdateProcessResponse, UpdateProcessResponse__Output as _statevisor_v1_UpdateProcessResponse__Output } from './statevisor/v1/UpdateProcessResponse.js';
import type { WatchEventsRequest as _statevisor_v1_WatchEventsRequest, WatchEventsRequest__Output as _statevisor_v1_WatchEventsRequest__Output } from './statevisor/v1/WatchEventsRequest.js';
import type { WatchEventsResponse as _statevisor_v1_WatchEventsResponse, WatchEventsResponse__Output as _statevisor_v1_WatchEventsResponse__Output } from './statevisor/v1/WatchEventsResponse.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  google: {
    protobuf: {
      FieldMask: MessageTypeDefinition<_google_protobuf_FieldMask, _google_protobuf_FieldMask__Output>
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>
    }
  }
  statevisor: {
    v1: {
      CommandLine: MessageTypeDefinition<_statevisor_v1_CommandLine, _statevisor_v1_CommandLine__Output>
      Counters: MessageTypeDefinition<_statevisor_v1_Counters, _statevisor_v1_Counters__Output>
      CreateProcessRequest: MessageTypeDefinition<_statevisor_v1_CreateProcessRequest, _statevisor_v1_CreateProcessRequest__Output>
      CreateProcessResponse: MessageTypeDefinition<_statevisor_v1_CreateProcessResponse, _statevisor_v1_CreateProcessResponse__Output>
      DeleteProcessRequest: MessageTypeDefinition<_statevisor_v1_DeleteProcessRequest, _statevisor_v1_DeleteProcessRequest__Output>
      DeleteProcessResponse: MessageTypeDefinition<_statevisor_v1_DeleteProcessResponse, _statevisor_v1_DeleteProcessResponse__Output>
      DescribeProcessRequest: MessageTypeDefinition<_statevisor_v1_DescribeProcessRequest, _statevisor_v1_DescribeProcessRequest__Output>
      DescribeProcessResponse: MessageTypeDefinition<_statevisor_v1_DescribeProcessResponse, _statevisor_v1_DescribeProcessResponse__Output>
      Enforcement: MessageTypeDefinition<_statevisor_v1_Enforcement, _statevisor_v1_Enforcement__Output>
      GetMachineDefinitionRequest: MessageTypeDefinition<_statevisor_v1_GetMachineDefinitionRequest, _statevisor_v1_GetMachineDefinitionRequest__Output>
      GetMachineDefinitionResponse: MessageTypeDefinition<_statevisor_v1_GetMachineDefinitionResponse, _statevisor_v1_GetMachineDefinitionResponse__Output>
      GetResourceUsageRequest: MessageTypeDefinition<_statevisor_v1_GetResourceUsageRequest, _statevisor_v1_GetResourceUsageRequest__Output>
      GetResourceUsageResponse: MessageTypeDefinition<_statevisor_v1_GetResourceUsageResponse, _statevisor_v1_GetResourceUsageResponse__Output>
      GetStatusRequest: MessageTypeDefinition<_statevisor_v1_GetStatusRequest, _statevisor_v1_GetStatusRequest__Output>
      GetStatusResponse: MessageTypeDefinition<_statevisor_v1_GetStatusResponse, _statevisor_v1_GetStatusResponse__Output>
      HealthCheckSpec: MessageTypeDefinition<_statevisor_v1_HealthCheckSpec, _statevisor_v1_HealthCheckSpec__Output>
      HealthStatus: EnumTypeDefinition
      InspectRequest: MessageTypeDefinition<_statevisor_v1_InspectRequest, _statevisor_v1_InspectRequest__Output>
      InspectResponse: MessageTypeDefinition<_statevisor_v1_InspectResponse, _statevisor_v1_InspectResponse__Output>
      ListProcessesRequest: MessageTypeDefinition<_statevisor_v1_ListProcessesRequest, _statevisor_v1_ListProcessesRequest__Output>
      ListProcessesResponse: MessageTypeDefinition<_statevisor_v1_ListProcessesResponse, _statevisor_v1_ListProcessesResponse__Output>
      Listener: MessageTypeDefinition<_statevisor_v1_Listener, _statevisor_v1_Listener__Output>
      LogsSpec: MessageTypeDefinition<_statevisor_v1_LogsSpec, _statevisor_v1_LogsSpec__Output>
      Phase: EnumTypeDefinition
      Process: MessageTypeDefinition<_statevisor_v1_Process, _statevisor_v1_Process__Output>
      ProcessEvent: MessageTypeDefinition<_statevisor_v1_ProcessEvent, _statevisor_v1_ProcessEvent__Output>
      ProcessManager: SubtypeConstructor<typeof grpc.Client, _statevisor_v1_ProcessManagerClient> & { service: _statevisor_v1_ProcessManagerDefinition }
      ProcessSpec: MessageTypeDefinition<_statevisor_v1_ProcessSpec, _statevisor_v1_ProcessSpec__Output>
      ProcessState: EnumTypeDefinition
      ReloadConfigRequest: MessageTypeDefinition<_statevisor_v1_ReloadConfigRequest, _statevisor_v1_ReloadConfigRequest__Output>
      ReloadConfigResponse: MessageTypeDefinition<_statevisor_v1_ReloadConfigResponse, _statevisor_v1_ReloadConfigResponse__Output>
      ResourcesSpec: MessageTypeDefinition<_statevisor_v1_ResourcesSpec, _statevisor_v1_ResourcesSpec__Output>
      RestartProcessRequest: MessageTypeDefinition<_statevisor_v1_RestartProcessRequest, _statevisor_v1_RestartProcessRequest__Output>
      RestartProcessResponse: MessageTypeDefinition<_statevisor_v1_RestartProcessResponse, _statevisor_v1_RestartProcessResponse__Output>
      RestartSpec: MessageTypeDefinition<_statevisor_v1_RestartSpec, _statevisor_v1_RestartSpec__Output>
      RuntimeSpec: MessageTypeDefinition<_statevisor_v1_RuntimeSpec, _statevisor_v1_RuntimeSpec__Output>
      SignalProcessRequest: MessageTypeDefinition<_statevisor_v1_SignalProcessRequest, _statevisor_v1_SignalProcessRequest__Output>
      SignalProcessResponse: MessageTypeDefinition<_statevisor_v1_SignalProcessResponse, _statevisor_v1_SignalProcessResponse__Output>
      SocketSpec: MessageTypeDefinition<_statevisor_v1_SocketSpec, _statevisor_v1_SocketSpec__Output>
      StartProcessRequest: MessageTypeDefinition<_statevisor_v1_StartProcessRequest, _statevisor_v1_StartProcessRequest__Output>
      StartProcessResponse: MessageTypeDefinition<_statevisor_v1_StartProcessResponse, _statevisor_v1_StartProcessResponse__Output>
      StopProcessRequest: MessageTypeDefinition<_statevisor_v1_StopProcessRequest, _statevisor_v1_StopProcessRequest__Output>
      StopProcessResponse: MessageTypeDefinition<_statevisor_v1_StopProcessResponse, _statevisor_v1_StopProcessResponse__Output>
      StopSpec: MessageTypeDefinition<_statevisor_v1_StopSpec, _statevisor_v1_StopSpec__Output>
      StreamLogsRequest: MessageTypeDefinition<_statevisor_v1_StreamLogsRequest, _statevisor_v1_StreamLogsRequest__Output>
      StreamLogsResponse: MessageTypeDefinition<_statevisor_v1_StreamLogsResponse, _statevisor_v1_StreamLogsResponse__Output>
      Transition: MessageTypeDefinition<_statevisor_v1_Transition, _statevisor_v1_Transition__Output>
      UpdateProcessRequest: MessageTypeDefinition<_statevisor_v1_UpdateProcessRequest, _statevisor_v1_UpdateProcessRequest__Output>
      UpdateProcessResponse: MessageTypeDefinition<_statevisor_v1_UpdateProcessResponse, _statevisor_v1_UpdateProcessResponse__Output>
      WatchEventsRequest: MessageTypeDefinition<_statevisor_v1_WatchEventsRequest, _statevisor_v1_WatchEventsRequest__Output>
      WatchEventsResponse: MessageTypeDefinition<_statevisor_v1_WatchEventsResponse, _statevisor_v1_WatchEventsResponse__Output>
    }
  }
}

