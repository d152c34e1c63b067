// Original file: proto/statevisor/v1/process_manager.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CreateProcessRequest as _statevisor_v1_CreateProcessRequest, CreateProcessRequest__Output as _statevisor_v1_CreateProcessRequest__Output } from '../../statevisor/v1/CreateProcessRequest.js';
import type { CreateProcessResponse as _statevisor_v1_CreateProcessResponse, CreateProcessResponse__Output as _statevisor_v1_CreateProcessResponse__Output } from '../../statevisor/v1/CreateProcessResponse.js';
import type { DeleteProcessRequest as _statevisor_v1_DeleteProcessRequest, DeleteProcessRequest__Output as _statevisor_v1_DeleteProcessRequest__Output } from '../../statevisor/v1/DeleteProcessRequest.js';
import type { DeleteProcessResponse as _statevisor_v1_DeleteProcessResponse, DeleteProcessResponse__Output as _statevisor_v1_DeleteProcessResponse__Output } from '../../statevisor/v1/DeleteProcessResponse.js';
import type { DescribeProcessRequest as _statevisor_v1_DescribeProcessRequest, DescribeProcessRequest__Output as _statevisor_v1_DescribeProcessRequest__Output } from '../../statevisor/v1/DescribeProcessRequest.js';
import type { DescribeProcessResponse as _statevisor_v1_DescribeProcessResponse, DescribeProcessResponse__Output as _statevisor_v1_DescribeProcessResponse__Output } from '../../statevisor/v1/DescribeProcessResponse.js';
import type { GetMachineDefinitionRequest as _statevisor_v1_GetMachineDefinitionRequest, GetMachineDefinitionRequest__Output as _statevisor_v1_GetMachineDefinitionRequest__Output } from '../../statevisor/v1/GetMachineDefinitionRequest.js';
import type { GetMachineDefinitionResponse as _statevisor_v1_GetMachineDefinitionResponse, GetMachineDefinitionResponse__Output as _statevisor_v1_GetMachineDefinitionResponse__Output } from '../../statevisor/v1/GetMachineDefinitionResponse.js';
import type { GetResourceUsageRequest as _statevisor_v1_GetResourceUsageRequest, GetResourceUsageRequest__Output as _statevisor_v1_GetResourceUsageRequest__Output } from '../../statevisor/v1/GetResourceUsageRequest.js';
import type { GetResourceUsageResponse as _statevisor_v1_GetResourceUsageResponse, GetResourceUsageResponse__Output as _statevisor_v1_GetResourceUsageResponse__Output } from '../../statevisor/v1/GetResourceUsageResponse.js';
import type { GetStatusRequest as _statevisor_v1_GetStatusRequest, GetStatusRequest__Output as _statevisor_v1_GetStatusRequest__Output } from '../../statevisor/v1/GetStatusRequest.js';
import type { GetStatusResponse as _statevisor_v1_GetStatusResponse, GetStatusResponse__Output as _statevisor_v1_GetStatusResponse__Output } from '../../statevisor/v1/GetStatusResponse.js';
import type { InspectRequest as _statevisor_v1_InspectRequest, InspectRequest__Output as _statevisor_v1_InspectRequest__Output } from '../../statevisor/v1/InspectRequest.js';
import type { InspectResponse as _statevisor_v1_InspectResponse, InspectResponse__Output as _statevisor_v1_InspectResponse__Output } from '../../statevisor/v1/InspectResponse.js';
import type { ListProcessesRequest as _statevisor_v1_ListProcessesRequest, ListProcessesRequest__Output as _statevisor_v1_ListProcessesRequest__Output } from '../../statevisor/v1/ListProcessesRequest.js';
import type { ListProcessesResponse as _statevisor_v1_ListProcessesResponse, ListProcessesResponse__Output as _statevisor_v1_ListProcessesResponse__Output } from '../../statevisor/v1/ListProcessesResponse.js';
import type { ReloadConfigRequest as _statevisor_v1_ReloadConfigRequest, ReloadConfigRequest__Output as _statevisor_v1_ReloadConfigRequest__Output } from '../../statevisor/v1/ReloadConfigRequest.js';
import type { ReloadConfigResponse as _statevisor_v1_ReloadConfigResponse, ReloadConfigResponse__Output as _statevisor_v1_ReloadConfigResponse__Output } from '../../statevisor/v1/ReloadConfigResponse.js';
import type { RestartProcessRequest as _statevisor_v1_RestartProcessRequest, RestartProcessRequest__Output as _statevisor_v1_RestartProcessRequest__Output } from '../../statevisor/v1/RestartProcessRequest.js';
import type { RestartProcessResponse as _statevisor_v1_RestartProcessResponse, RestartProcessResponse__Output as _statevisor_v1_RestartProcessResponse__Output } from '../../statevisor/v1/RestartProcessResponse.js';
import type { SignalProcessRequest as _statevisor_v1_SignalProcessRequest, SignalProcessRequest__Output as _statevisor_v1_SignalProcessRequest__Output } from '../../statevisor/v1/SignalProcessRequest.js';
import type { SignalProcessResponse as _statevisor_v1_SignalProcessResponse, SignalProcessResponse__Output as _statevisor_v1_SignalProcessResponse__Output } from '../../statevisor/v1/SignalProcessResponse.js';
import type { StartProcessRequest as _statevisor_v1_StartProcessRequest, StartProcessRequest__Output as _statevisor_v1_StartProcessRequest__Output } from '../../statevisor/v1/StartProcessRequest.js';
import type { StartProcessResponse as _statevisor_v1_StartProcessResponse, StartProcessResponse__Output as _statevisor_v1_StartProcessResponse__Output } from '../../statevisor/v1/StartProcessResponse.js';
import type { StopProcessRequest as _statevisor_v1_StopProcessRequest, StopProcessRequest__Output as _statevisor_v1_StopProcessRequest__Output } from '../../statevisor/v1/StopProcessRequest.js';
import type { StopProcessResponse as _statevisor_v1_StopProcessResponse, StopProcessResponse__Output as _statevisor_v1_StopProcessResponse__Output } from '../../statevisor/v1/StopProcessResponse.js';
import type { StreamLogsRequest as _statevisor_v1_StreamLogsRequest, StreamLogsRequest__Output as _statevisor_v1_StreamLogsRequest__Output } from '../../statevisor/v1/StreamLogsRequest.js';
import type { StreamLogsResponse as _statevisor_v1_StreamLogsResponse, StreamLogsResponse__Output as _statevisor_v1_StreamLogsResponse__Output } from '../../statevisor/v1/StreamLogsResponse.js';
import type { UpdateProcessRequest as _statevisor_v1_UpdateProcessRequest, UpdateProcessRequest__Output as _statevisor_v1_UpdateProcessRequest__Output } from '../../statevisor/v1/UpdateProcessRequest.js';
import type { UpdateProcessResponse as _statevisor_v1_UpdateProcessResponse, UpdateProcessResponse__Output as _statevisor_v1_UpdateProcessResponse__Output } from '../../statevisor/v1/UpdateProcessResponse.js';
import type { WatchEventsRequest as _statevisor_v1_WatchEventsRequest, WatchEventsRequest__Output as _statevisor_v1_WatchEventsRequest__Output } from '../../statevisor/v1/WatchEventsRequest.js';
import type { WatchEventsResponse as _statevisor_v1_WatchEventsResponse, WatchEventsResponse__Output as _statevisor_v1_WatchEventsResponse__Output } from '../../statevisor/v1/WatchEventsResponse.js';

export interface ProcessManagerClient extends grpc.Client {
  CreateProcess(argument: _statevisor_v1_CreateProcessRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_statevisor_v1_CreateProcessResponse__Output>): grpc.ClientUnaryCall;
  CreateProcess(argument: _statevisor_v1_CreateProcessRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_statevisor_v1_CreateProcessResponse__Output>): grpc.ClientUnaryCall;
  CreateProcess(argument: _statevisor_v1_CreateProcessRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_statevisor_v1_CreateProcessResponse__Output>): grpc.ClientUnaryCall;
  CreateProcess(argument: _statevisor_v1_CreateProcessRequest, callback: grpc.requestCallback<_statevisor_v1_CreateProcessResponse__Output>): grpc.ClientUnaryCall;
  createProcess(argument: _statevisor_v1_CreateProcessRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_statevisor_v1_CreateProcessResponse__Output>): grpc.ClientUnaryCall;
  createProcess(argument: _statevisor_v1_CreateProcessRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_statevisor_v1_CreateProcessResponse__Output>): grpc.ClientUnaryCall;
  createProcess(argument: _statevisor_v1_CreateProcessRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_statevisor_v1_CreateProcessResponse__Output>): grpc.ClientUnaryCall;
  createProcess(argument: _statevisor_v1_CreateProcessRequest, callback: grpc.requestCallback<_statevisor_v1_CreateProcessResponse__Output>): grpc.ClientUnaryCall;
  
  DeleteProcess(argument: _statevisor_v1_DeleteProcessRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_statevisor_v1_DeleteProcessResponse__Output>): grpc.ClientUnaryCall;
  DeleteProcess(argument: _statevisor_v1_DeleteProcessRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_statevisor_v1_DeleteProcessResponse__Output>): grpc.ClientUnaryCall;
  DeleteProcess(argument: _statevisor_v1_DeleteProcessRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_statevisor_v1_DeleteProcessResponse__Output>): grpc.ClientUnaryCall;
  DeleteProcess(argument: _statevisor_v1_DeleteProcessRequest, callback: grpc.requestCallback<_statevisor_v1_DeleteProcessResponse__Output>): grpc.ClientUnaryCall;
  deleteProcess(argument: _statevisor_v1_DeleteProcessRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_statevisor_v1_DeleteProcessResponse__Output>): grpc.ClientUnaryCall;
  deleteProcess(argument: _statevisor_v1_DeleteProcessRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_statevisor_v1_DeleteProcessResponse__Output>): grpc.ClientUnaryCall;
  deleteProcess(argument: _statevisor_v1_DeleteProcessRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_statevisor_v1_DeleteProcessResponse__Output>): grpc.ClientUnaryCall;
  deleteProcess(argument: _statevisor_v1_DeleteProcessRequest, callback: grpc.requestCallback<_statevisor_v1_DeleteProcessResponse__Output>): grpc.ClientUnaryCall;
  
  DescribeProcess(argument: _statevisor_v1_DescribeProcessRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_statevisor_v1_DescribeProcessResponse__Output>): grpc.ClientUnaryCall;
  DescribeProcess(argument: _statevisor_v1_DescribeProcessRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_statevisor_v1_DescribeProcessResponse__Output>): grpc.ClientUnaryCall;
  DescribeProcess(argument: _statevisor_v1_DescribeProcessRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_statevisor_v1_DescribeProcessResponse__Output>): grpc.ClientUnaryCall;
  DescribeProcess(argument: _statevisor_v1_DescribeProcessRequest, callback: grpc.requestCallback<_statevisor_v1_DescribeProcessResponse__Output>): grpc.ClientUnaryCall;
  describeProcess(argument: _statevisor_v1_DescribeProcessRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_statevisor_v1_DescribeProcessResponse__Output>): grpc.ClientUnaryCall;
  describeProcess(argument: _statevisor_v1_DescribeProcessRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_statevisor_v1_DescribeProcessResponse__Output>): grpc.ClientUnaryCall;
  describeProcess(argument: _statevisor_v1_DescribeProcessRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_statevisor_v1_DescribeProcessResponse__Output>): grpc.ClientUnaryCall;
  describeProcess(argument: _statevisor_v1_DescribeProcessRequest, callback: grpc.requestCallback<_statevisor_v1_DescribeProcessResponse__Output>): grpc.ClientUnaryCall;
  
  GetMachineDefinition(argument: _statevisor_v1_GetMachineDefinitionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_statevisor_v1_GetMachineDefinitionResponse__Output>): grpc.ClientUnaryCall;
  GetMachineDefinition(argument: _statevisor_v1_GetMachineDefinitionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_statevisor_v1_GetMachineDefinitionResponse__Output>): grpc.ClientUnaryCall;
  GetMachineDefinition(argument: _statevisor_v1_GetMachineDefinitionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_statevisor_v1_GetMachineDefinitionResponse__Output>): grpc.ClientUnaryCall;
  GetMachineDefinition(argument: _statevisor_v1_GetMachineDefinitionRequest, callback: grpc.requestCallback<_statevisor_v1_GetMachineDefinitionResponse__Output>): grpc.ClientUnaryCall;
  getMachineDefinition(argument: _statevisor_v1_GetMachineDefinitionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_statevisor_v1_GetMachineDefinitionResponse__Output>): grpc.ClientUnaryCall;
  getMachineDefinition(argument: _statevisor_v1_GetMachineDefinitionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_statevisor_v1_GetMachineDefinitionResponse__Output>): grpc.ClientUnaryCall;
  getMachineDefinition(argument: _statevisor_v1_GetMachineDefinitionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_statevisor_v1_GetMachineDefinitionResponse__Output>): grpc.ClientUnaryCall;
  getMachineDefinition(argument: _statevisor_v1_GetMachineDefinitionRequest, callback: grpc.requestCallback<_statevisor_v1_GetMachineDefinitionResponse__Output>): grpc.ClientUnaryCall;
  
  GetResourceUsage(argument: _statevisor_v1_GetResourceUsageRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_statevisor_v1_GetResourceUsageResponse__Output>): grpc.ClientUnaryCall;
  GetResourceUsage(argument: _statevisor_v1_GetResourceUsageRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_statevisor_v1_GetResourceUsageResponse__Output>): grpc.ClientUnaryCall;
  GetResourceUsage(argument: _statevisor_v1_GetResourceUsageRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_statevisor_v1_GetResourceUsageResponse__Output>): grpc.ClientUnaryCall;
  GetResourceUsage(argument: _statevisor_v1_GetResourceUsageRequest, callback: grpc.requestCallback<_statevisor_v1_GetResourceUsageResponse__Output>): grpc.ClientUnaryCall;
  getResourceUsage(argument: _statevisor_v1_GetResourceUsageRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_statevisor_v1_GetResourceUsageResponse__Output>): grpc.ClientUnaryCall;
  getResourceUsage(argument: _statevisor_v1_GetResourceUsageRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_statevisor_v1_GetResourceUsageResponse__Output>): grpc.ClientUnaryCall;
  getResourceUsage(argument: _statevisor_v1_GetResourceUsageRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_statevisor_v1_GetResourceUsageResponse__Output>): grpc.ClientUnaryCall;
  getResourceUsage(argument: _statevisor_v1_GetResourceUsageRequest, callback: grpc.requestCallback<_statevisor_v1_GetResourceUsageResponse__Output>): grpc.ClientUnaryCall;
  
  GetStatus(argument: _statevisor_v1_GetStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_statevisor_v1_GetStatusResponse__Output>): grpc.ClientUnaryCall;
  GetStatus(argument: _statevisor_v1_GetStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_statevisor_v1_GetStatusResponse__Output>): grpc.ClientUnaryCall;
  GetStatus(argument: _statevisor_v1_GetStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_statevisor_v1_GetStatusResponse__Output>): grpc.ClientUnaryCall;
  GetStatus(argument: _statevisor_v1_GetStatusRequest, callback: grpc.requestCallback<_statevisor_v1_GetStatusResponse__Output>): grpc.ClientUnaryCall;
  getStatus(argument: _statevisor_v1_GetStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_statevisor_v1_GetStatusResponse__Output>): grpc.ClientUnaryCall;
  getStatus(argument: _statevisor_v1_GetStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_statevisor_v1_GetStatusResponse__Output>): grpc.ClientUnaryCall;
  getStatus(argument: _statevisor_v1_GetStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_statevisor_v1_GetStatusResponse__Output>): grpc.ClientUnaryCall;
  getStatus(argument: _statevisor_v1_GetStatusRequest, callback: grpc.requestCallback<_statevisor_v1_GetStatusResponse__Output>): grpc.ClientUnaryCall;
  
  Inspect(argument: _statevisor_v1_InspectRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_statevisor_v1_InspectResponse__Output>;
  Inspect(argument: _statevisor_v1_InspectRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_statevisor_v1_InspectResponse__Output>;
  inspect(argument: _statevisor_v1_InspectRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_statevisor_v1_InspectResponse__Output>;
  inspect(argument: _statevisor_v1_InspectRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_statevisor_v1_InspectResponse__Output>;
  
  ListProcesses(argument: _statevisor_v1_ListProcessesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_statevisor_v1_ListProcessesResponse__Output>): grpc.ClientUnaryCall;
  ListProcesses(argument: _statevisor_v1_ListProcessesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_statevisor_v1_ListProcessesResponse__Output>): grpc.ClientUnaryCall;
  ListProcesses(argument: _statevisor_v1_ListProcessesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_statevisor_v1_ListProcessesResponse__Output>): grpc.ClientUnaryCall;
  ListProcesses(argument: _statevisor_v1_ListProcessesRequest, callback: grpc.requestCallback<_statevisor_v1_ListProcessesResponse__Output>): grpc.ClientUnaryCall;
  listProcesses(argument: _statevisor_v1_ListProcessesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_statevisor_v1_ListProcessesResponse__Output>): grpc.ClientUnaryCall;
  listProcesses(argument: _statevisor_v1_ListProcessesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_statevisor_v1_ListProcessesResponse__Output>): grpc.ClientUnaryCall;
  listProcesses(argument: _statevisor_v1_ListProcessesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_statevisor_v1_ListProcessesResponse__Output>): grpc.ClientUnaryCall;
  listProcesses(argument: _statevisor_v1_ListProcessesRequest, callback: grpc.requestCallback<_statevisor_v1_ListProcessesResponse__Output>): grpc.ClientUnaryCall;
  
  ReloadConfig(argument: _statevisor_v1_ReloadConfigRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_statevisor_v1_ReloadConfigResponse__Output>): grpc.ClientUnaryCall;
  ReloadConfig(argument: _statevisor_v1_ReloadConfigRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_statevisor_v1_ReloadConfigResponse__Output>): grpc.ClientUnaryCall;
  ReloadConfig(argument: _statevisor_v1_ReloadConfigRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_statevisor_v1_ReloadConfigResponse__Output>): grpc.ClientUnaryCall;
  ReloadConfig(argument: _statevisor_v1_ReloadConfigRequest, callback: grpc.requestCallback<_statevisor_v1_ReloadConfigResponse__Output>): grpc.ClientUnaryCall;
  reloadConfig(argument: _statevisor_v1_ReloadConfigRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_statevisor_v1_ReloadConfigResponse__Output>): grpc.ClientUnaryCall;
  reloadConfig(argument: _statevisor_v1_ReloadConfigRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_statevisor_v1_ReloadConfigResponse__Output>): grpc.ClientUnaryCall;
  reloadConfig(argument: _statevisor_v1_ReloadConfigRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_statevisor_v1_ReloadConfigResponse__Output>): grpc.ClientUnaryCall;
  reloadConfig(argument: _statevisor_v1_ReloadConfigRequest, callback: grpc.requestCallback<_statevisor_v1_ReloadConfigResponse__Output>): grpc.ClientUnaryCall;
  
  RestartProcess(argument: _statevisor_v1_RestartProcessRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_statevisor_v1_RestartProcessResponse__Output>): grpc.ClientUnaryCall;
  RestartProcess(argument: _statevisor_v1_RestartProcessRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_statevisor_v1_RestartProcessResponse__Output>): grpc.ClientUnaryCall;
  RestartProcess(argument: _statevisor_v1_RestartProcessRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_statevisor_v1_RestartProcessResponse__Output>): grpc.ClientUnaryCall;
  RestartProcess(argument: _statevisor_v1_RestartProcessRequest, callback: grpc.requestCallback<_statevisor_v1_RestartProcessResponse__Output>): grpc.ClientUnaryCall;
  restartProcess(argument: _statevisor_v1_RestartProcessRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_statevisor_v1_RestartProcessResponse__Output>): grpc.ClientUnaryCall;
  restartProcess(argument: _statevisor_v1_RestartProcessRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_statevisor_v1_RestartProcessResponse__Output>): grpc.ClientUnaryCall;
  restartProcess(argument: _statevisor_v1_RestartProcessRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_statevisor_v1_RestartProcessResponse__Output>): grpc.ClientUnaryCall;
  restartProcess(argument: _statevisor_v1_RestartProcessRequest, callback: grpc.requestCallback<_statevisor_v1_RestartProcessResponse__Output>): grpc.ClientUnaryCall;
  
  SignalProcess(argument: _statevisor_v1_SignalProcessRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_statevisor_v1_SignalProcessResponse__Output>): grpc.ClientUnaryCall;
  SignalProcess(argument: _statevisor_v1_SignalProcessRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_statevisor_v1_SignalProcessResponse__Output>): grpc.ClientUnaryCall;
  SignalProcess(argument: _statevisor_v1_SignalProcessRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_statevisor_v1_SignalProcessResponse__Output>): grpc.ClientUnaryCall;
  SignalProcess(argument: _statevisor_v1_SignalProcessRequest, callback: grpc.requestCallback<_statevisor_v1_SignalProcessResponse__Output>): grpc.ClientUnaryCall;
  signalProcess(argument: _statevisor_v1_SignalProcessRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_statevisor_v1_SignalProcessResponse__Output>): grpc.ClientUnaryCall;
  signalProcess(argument: _statevisor_v1_SignalProcessRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_statevisor_v1_SignalProcessResponse__Output>): grpc.ClientUnaryCall;
  signalProcess(argument: _statevisor_v1_SignalProcessRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_statevisor_v1_SignalProcessResponse__Output>): grpc.ClientUnaryCall;
  signalProcess(argument: _statevisor_v1_SignalProcessRequest, callback: grpc.requestCallback<_statevisor_v1_SignalProcessResponse__Output>): grpc.ClientUnaryCall;
  
  StartProcess(argument: _statevisor_v1_StartProcessRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_statevisor_v1_StartProcessResponse__Output>): grpc.ClientUnaryCall;
  StartProcess(argument: _statevisor_v1_StartProcessRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_statevisor_v1_StartProcessResponse__Output>): grpc.ClientUnaryCall;
  StartProcess(argument: _statevisor_v1_StartProcessRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_statevisor_v1_StartProcessResponse__Output>): grpc.ClientUnaryCall;
  StartProcess(argument: _statevisor_v1_StartProcessRequest, callback: grpc.requestCallback<_statevisor_v1_StartProcessResponse__Output>): grpc.ClientUnaryCall;
  startProcess(argument: _statevisor_v1_StartProcessRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_statevisor_v1_StartProcessResponse__Output>): grpc.ClientUnaryCall;
  startProcess(argument: _statevisor_v1_StartProcessRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_statevisor_v1_StartProcessResponse__Output>): grpc.ClientUnaryCall;
  startProcess(argument: _statevisor_v1_StartProcessRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_statevisor_v1_StartProcessResponse__Output>): grpc.ClientUnaryCall;
  startProcess(argument: _statevisor_v1_StartProcessRequest, callback: grpc.requestCallback<_statevisor_v1_StartProcessResponse__Output>): grpc.ClientUnaryCall;
  
  StopProcess(argument: _statevisor_v1_StopProcessRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_statevisor_v1_StopProcessResponse__Output>): grpc.ClientUnaryCall;
  StopProcess(argument: _statevisor_v1_StopProcessRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_statevisor_v1_StopProcessResponse__Output>): grpc.ClientUnaryCall;
  StopProcess(argument: _statevisor_v1_StopProcessRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_statevisor_v1_StopProcessResponse__Output>): grpc.ClientUnaryCall;
  StopProcess(argument: _statevisor_v1_StopProcessRequest, callback: grpc.requestCallback<_statevisor_v1_StopProcessResponse__Output>): grpc.ClientUnaryCall;
  stopProcess(argument: _statevisor_v1_StopProcessRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_statevisor_v1_StopProcessResponse__Output>): grpc.ClientUnaryCall;
  stopProcess(argument: _statevisor_v1_StopProcessRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_statevisor_v1_StopProcessResponse__Output>): grpc.ClientUnaryCall;
  stopProcess(argument: _statevisor_v1_StopProcessRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_statevisor_v1_StopProcessResponse__Output>): grpc.ClientUnaryCall;
  stopProcess(argument: _statevisor_v1_StopProcessRequest, callback: grpc.requestCallback<_statevisor_v1_StopProcessResponse__Output>): grpc.ClientUnaryCall;
  
  StreamLogs(argument: _statevisor_v1_StreamLogsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_statevisor_v1_StreamLogsResponse__Output>;
  StreamLogs(argument: _statevisor_v1_StreamLogsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_statevisor_v1_StreamLogsResponse__Output>;
  streamLogs(argument: _statevisor_v1_StreamLogsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_statevisor_v1_StreamLogsResponse__Output>;
  streamLogs(argument: _statevisor_v1_StreamLogsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_statevisor_v1_StreamLogsResponse__Output>;
  
  UpdateProcess(argument: _statevisor_v1_UpdateProcessRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_statevisor_v1_UpdateProcessResponse__Output>): grpc.ClientUnaryCall;
  UpdateProcess(argument: _statevisor_v1_UpdateProcessRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_statevisor_v1_UpdateProcessResponse__Output>): grpc.ClientUnaryCall;
  UpdateProcess(argument: _statevisor_v1_UpdateProcessRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_statevisor_v1_UpdateProcessResponse__Output>): grpc.ClientUnaryCall;
  UpdateProcess(argument: _statevisor_v1_UpdateProcessRequest, callback: grpc.requestCallback<_statevisor_v1_UpdateProcessResponse__Output>): grpc.ClientUnaryCall;
  updateProcess(argument: _statevisor_v1_UpdateProcessRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_statevisor_v1_UpdateProcessResponse__Output>): grpc.ClientUnaryCall;
  updateProcess(argument: _statevisor_v1_UpdateProcessRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_statevisor_v1_UpdateProcessResponse__Output>): grpc.ClientUnaryCall;
  updateProcess(argument: _statevisor_v1_UpdateProcessRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_statevisor_v1_UpdateProcessResponse__Output>): grpc.ClientUnaryCall;
  updateProcess(argument: _statevisor_v1_UpdateProcessRequest, callback: grpc.requestCallback<_statevisor_v1_UpdateProcessResponse__Output>): grpc.ClientUnaryCall;
  
  WatchEvents(argument: _statevisor_v1_WatchEventsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_statevisor_v1_WatchEventsResponse__Output>;
  WatchEvents(argument: _statevisor_v1_WatchEventsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_statevisor_v1_WatchEventsResponse__Output>;
  watchEvents(argument: _statevisor_v1_WatchEventsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_statevisor_v1_WatchEventsResponse__Output>;
  watchEvents(argument: _statevisor_v1_WatchEventsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_statevisor_v1_WatchEventsResponse__Output>;
  
}

export interface ProcessManagerHandlers extends grpc.UntypedServiceImplementation {
  CreateProcess: grpc.handleUnaryCall<_statevisor_v1_CreateProcessRequest__Output, _statevisor_v1_CreateProcessResponse>;
  
  DeleteProcess: grpc.handleUnaryCall<_statevisor_v1_DeleteProcessRequest__Output, _statevisor_v1_DeleteProcessResponse>;
  
  DescribeProcess: grpc.handleUnaryCall<_statevisor_v1_DescribeProcessRequest__Output, _statevisor_v1_DescribeProcessResponse>;
  
  GetMachineDefinition: grpc.handleUnaryCall<_statevisor_v1_GetMachineDefinitionRequest__Output, _statevisor_v1_GetMachineDefinitionResponse>;
  
  GetResourceUsage: grpc.handleUnaryCall<_statevisor_v1_GetResourceUsageRequest__Output, _statevisor_v1_GetResourceUsageResponse>;
  
  GetStatus: grpc.handleUnaryCall<_statevisor_v1_GetStatusRequest__Output, _statevisor_v1_GetStatusResponse>;
  
  Inspect: grpc.handleServerStreamingCall<_statevisor_v1_InspectRequest__Output, _statevisor_v1_InspectResponse>;
  
  ListProcesses: grpc.handleUnaryCall<_statevisor_v1_ListProcessesRequest__Output, _statevisor_v1_ListProcessesResponse>;
  
  ReloadConfig: grpc.handleUnaryCall<_statevisor_v1_ReloadConfigRequest__Output, _statevisor_v1_ReloadConfigResponse>;
  
  RestartProcess: grpc.handleUnaryCall<_statevisor_v1_RestartProcessRequest__Output, _statevisor_v1_RestartProcessResponse>;
  
  SignalProcess: grpc.handleUnaryCall<_statevisor_v1_SignalProcessRequest__Output, _statevisor_v1_SignalProcessResponse>;
  
  StartProcess: grpc.handleUnaryCall<_statevisor_v1_StartProcessRequest__Output, _statevisor_v1_StartProcessResponse>;
  
  StopProcess: grpc.handleUnaryCall<_statevisor_v1_StopProcessRequest__Output, _statevisor_v1_StopProcessResponse>;
  
  StreamLogs: grpc.handleServerStreamingCall<_statevisor_v1_StreamLogsRequest__Output, _statevisor_v1_StreamLogsResponse>;
  
  UpdateProcess: grpc.handleUnaryCall<_statevisor_v1_UpdateProcessRequest__Output, _statevisor_v1_UpdateProcessResponse>;
  
  WatchEvents: grpc.handleServerStreamingCall<_statevisor_v1_WatchEventsRequest__Output, _statevisor_v1_WatchEventsResponse>;
  
}

export interface ProcessManagerDefinition extends grpc.ServiceDefinition {
  CreateProcess: MethodDefinition<_statevisor_v1_CreateProcessRequest, _statevisor_v1_CreateProcessResponse, _statevisor_v1_CreateProcessRequest__Output, _statevisor_v1_CreateProcessResponse__Output>
  DeleteProcess: MethodDefinition<_statevisor_v1_DeleteProcessRequest, _statevisor_v1_DeleteProcessResponse, _statevisor_v1_DeleteProcessRequest__Output, _statevisor_v1_DeleteProcessResponse__Output>
  DescribeProcess: MethodDefinition<_statevisor_v1_DescribeProcessRequest, _statevisor_v1_DescribeProcessResponse, _statevisor_v1_DescribeProcessRequest__Output, _statevisor_v1_DescribeProcessResponse__Output>
  GetMachineDefinition: MethodDefinition<_statevisor_v1_GetMachineDefinitionRequest, _statevisor_v1_GetMachineDefinitionResponse, _statevisor_v1_GetMachineDefinitionRequest__Output, _statevisor_v1_GetMachineDefinitionResponse__Output>
  GetResourceUsage: MethodDefinition<_statevisor_v1_GetResourceUsageRequest, _statevisor_v1_GetResourceUsageResponse, _statevisor_v1_GetResourceUsageRequest__Output, _statevisor_v1_GetResourceUsageResponse__Output>
  GetStatus: MethodDefinition<_statevisor_v1_GetStatusRequest, _statevisor_v1_GetStatusResponse, _statevisor_v1_GetStatusRequest__Output, _statevisor_v1_GetStatusResponse__Output>
  Inspect: MethodDefinition<_statevisor_v1_InspectRequest, _statevisor_v1_InspectResponse, _statevisor_v1_InspectRequest__Output, _statevisor_v1_InspectResponse__Output>
  ListProcesses: MethodDefinition<_statevisor_v1_ListProcessesRequest, _statevisor_v1_ListProcessesResponse, _statevisor_v1_ListProcessesRequest__Output, _statevisor_v1_ListProcessesResponse__Output>
  ReloadConfig: MethodDefinition<_statevisor_v1_ReloadConfigRequest, _statevisor_v1_ReloadConfigResponse, _statevisor_v1_ReloadConfigRequest__Output, _statevisor_v1_ReloadConfigResponse__Output>
  RestartProcess: MethodDefinition<_statevisor_v1_RestartProcessRequest, _statevisor_v1_RestartProcessResponse, _statevisor_v1_RestartProcessRequest__Output, _statevisor_v1_RestartProcessResponse__Output>
  SignalProcess: MethodDefinition<_statevisor_v1_SignalProcessRequest, _statevisor_v1_SignalProcessResponse, _statevisor_v1_SignalProcessRequest__Output, _statevisor_v1_SignalProcessResponse__Output>
  StartProcess: MethodDefinition<_statevisor_v1_StartProcessRequest, _statevisor_v1_StartProcessResponse, _statevisor_v1_StartProcessRequest__Output, _statevisor_v1_StartProcessResponse__Output>
  StopProcess: MethodDefinition<_statevisor_v1_StopProcessRequest, _statevisor_v1_StopProcessResponse, _statevisor_v1_StopProcessRequest__Output, _statevisor_v1_StopProcessResponse__Output>
  StreamLogs: MethodDefinition<_statevisor_v1_StreamLogsRequest, _statevisor_v1_StreamLogsResponse, _statevisor_v1_StreamLogsRequest__Output, _statevisor_v1_StreamLogsResponse__Output>
  UpdateProcess: MethodDefinition<_statevisor_v1_UpdateProcessRequest, _statevisor_v1_UpdateProcessResponse, _statevisor_v1_UpdateProcessRequest__Output, _statevisor_v1_UpdateProcessResponse__Output>
  WatchEvents: MethodDefinition<_statevisor_v1_WatchEventsRequest, _statevisor_v1_WatchEventsResponse, _statevisor_v1_WatchEventsRequest__Output, _statevisor_v1_WatchEventsResponse__Output>
}
