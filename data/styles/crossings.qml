<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.22.16-Białowieża" styleCategories="Symbology|Labeling" labelsEnabled="1">
  <renderer-v2 type="singleSymbol" symbollevels="0" enableorderby="0" forceraster="0">
    <symbols>
      <symbol type="marker" name="0" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" pass="0" locked="0">
          <prop k="name" v="triangle"/>
          <prop k="color" v="230,120,20,255"/>
          <prop k="size" v="3.2"/>
          <prop k="size_unit" v="MM"/>
          <prop k="outline_color" v="40,40,40,255"/>
          <prop k="outline_width" v="0.3"/>
          <prop k="outline_style" v="solid"/>
        </layer>
      </symbol>
    </symbols>
    <rotation/>
    <sizescale/>
  </renderer-v2>
  <labeling type="simple">
    <settings calloutType="simple">
      <text-style fieldName="name" isExpression="0" fontFamily="Sans Serif" fontSize="8" fontSizeUnit="Point" textColor="150,70,0,255" textOpacity="1">
        <text-buffer bufferDraw="1" bufferSize="0.8" bufferSizeUnits="MM" bufferColor="255,255,255,255" bufferOpacity="0.8"/>
      </text-style>
      <text-format multilineAlign="0" wrapChar="" autoWrapLength="0"/>
      <placement placement="0" dist="1.2" distUnits="MM" offsetType="0" quadOffset="4" priority="8"/>
      <rendering obstacle="1" scaleVisibility="0" fontLimitPixelSize="0" drawLabels="1" displayAll="0"/>
    </settings>
  </labeling>
  <layerGeometryType>0</layerGeometryType>
</qgis>
